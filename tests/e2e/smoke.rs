//! The loop every later test relies on: the UI renders, a command round-trips to the app's
//! SQLite file through the shell, and the app reaches the real sync server.

use std::time::Duration;

use lastmile_tests::ui;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn app_renders_reads_its_database_and_reaches_the_server() -> anyhow::Result<()> {
    ui::run("smoke", async |s| {
        let title = s
            .wait_for_text("[data-testid=app-title]", Duration::from_secs(30), |t| {
                !t.is_empty()
            })
            .await?;
        assert_eq!(title, "Lastmile");

        // The install id on screen is the one in the app's SQLite file: the command went
        // UI -> shell -> store -> SQLite and back.
        let shown = s
            .wait_for_text("[data-testid=install-id]", Duration::from_secs(15), |t| {
                !t.is_empty()
            })
            .await?;
        let conn = crate::common::device_connection(s)?;
        let stored: String =
            conn.query_row("SELECT value FROM meta WHERE key = 'install_id'", [], |r| {
                r.get(0)
            })?;
        assert_eq!(
            shown, stored,
            "the UI shows the install id stored in SQLite"
        );

        // The app reached the real server over loopback.
        let state = wait_for_state(s, "connected").await?;
        assert_eq!(state, "connected");
        s.wait_for_text("[data-testid=server-status]", Duration::from_secs(5), |t| {
            t.contains("sqlite")
        })
        .await?;
        s.screenshot("connected").await?;

        // With the server gone, "Check again" tells the driver they are offline and that
        // their work is safe: never a blank screen or a raw error.
        s.server.kill();
        s.click("[data-testid=retry]").await?;
        let state = wait_for_state(s, "offline").await?;
        assert_eq!(state, "offline");
        s.wait_for_text("[data-testid=server-status]", Duration::from_secs(5), |t| {
            t.contains("saved on this device")
        })
        .await?;
        s.screenshot("offline").await?;
        Ok(())
    })
    .await
}

async fn wait_for_state(s: &ui::UiSession, want: &str) -> anyhow::Result<String> {
    let deadline = std::time::Instant::now() + Duration::from_secs(15);
    loop {
        let state = s
            .attr("[data-testid=server-status] [data-state]", "data-state")
            .await?
            .unwrap_or_default();
        if state == want || std::time::Instant::now() > deadline {
            return Ok(state);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
