//! The data layer reads rows by column name, on both backends: a misspelt column or a
//! column of another type is an error that names the column (not a position).

use lastmile_server::db::{DbError, FromRow, Row};

use crate::both;
use crate::harness::*;

both!(a_misspelt_column_or_a_wrong_type_names_the_column);

/// A hand-written [`FromRow`], as a query outside the crate's `row_struct!` would have.
#[derive(Debug)]
struct Code {
    code: String,
    uses_left: i64,
    expires_at: Option<i64>,
}

impl FromRow for Code {
    fn from_row(row: &Row) -> Result<Self, DbError> {
        Ok(Self {
            code: row.get("code")?,
            uses_left: row.get("uses_left")?,
            expires_at: row.get("expires_at")?,
        })
    }
}

/// Reads `uses_left` as text: the wrong type.
#[derive(Debug)]
struct CodeAsText {
    _uses_left: String,
}

impl FromRow for CodeAsText {
    fn from_row(row: &Row) -> Result<Self, DbError> {
        Ok(Self {
            _uses_left: row.get("uses_left")?,
        })
    }
}

const SQL: &str = "SELECT CAST('K7QM' AS TEXT) AS code, CAST(3 AS BIGINT) AS uses_left, \
                   CAST(NULL AS BIGINT) AS expires_at";

async fn a_misspelt_column_or_a_wrong_type_names_the_column(b: Backend) {
    let app = app(b).await;
    let mut tx = app.state.db.begin().await.expect("begin");
    let code: Code = tx.one_as(SQL, &[]).await.expect("read").expect("row");
    assert_eq!(
        (code.code.as_str(), code.uses_left, code.expires_at),
        ("K7QM", 3, None)
    );

    let row = tx.one(SQL, &[]).await.expect("query").expect("row");
    assert_eq!(row.columns(), ["code", "uses_left", "expires_at"]);
    let misspelt = row.get::<i64>("uses_lfet").expect_err("no such column");
    assert!(matches!(&misspelt, DbError::NoColumn { column, .. } if column == "uses_lfet"));
    let text = misspelt.to_string();
    assert!(
        text.contains("uses_lfet") && text.contains("code, uses_left, expires_at"),
        "{text}"
    );

    let wrong = tx
        .one_as::<CodeAsText>(SQL, &[])
        .await
        .expect_err("an integer is not text");
    assert!(matches!(&wrong, DbError::Type { column, .. } if column == "uses_left"));
    assert_eq!(
        wrong.to_string(),
        "column uses_left: expected text, found integer"
    );
    let null = row
        .get::<i64>("expires_at")
        .expect_err("null is no integer");
    assert_eq!(
        null.to_string(),
        "column expires_at: expected integer, found null"
    );
}
