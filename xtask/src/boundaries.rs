//! Checks the dependency invariants of ARCHITECTURE.md from `cargo metadata`, so breaking
//! one fails `cargo xtask test`. Rules are stated as absences: "crate X never reaches Y".

use std::collections::{BTreeMap, BTreeSet};
use std::process::Command;

use anyhow::{Context, bail};

/// A rule: `subject` (a workspace crate, or `*` for every crate but `except`) must not reach
/// `forbidden` through normal or build dependencies.
struct Rule {
    subject: &'static str,
    except: &'static [&'static str],
    forbidden: &'static str,
    why: &'static str,
}

const RULES: &[Rule] = &[
    Rule {
        subject: "lastmile-domain",
        except: &[],
        forbidden: "rusqlite",
        why: "the domain does no IO",
    },
    Rule {
        subject: "lastmile-domain",
        except: &[],
        forbidden: "reqwest",
        why: "the domain does no IO",
    },
    Rule {
        subject: "lastmile-domain",
        except: &[],
        forbidden: "tokio",
        why: "the domain does no IO",
    },
    Rule {
        subject: "lastmile-domain",
        except: &[],
        forbidden: "tauri",
        why: "the domain does no IO",
    },
    Rule {
        subject: "lastmile-domain",
        except: &[],
        forbidden: "axum",
        why: "the domain does no IO",
    },
    Rule {
        subject: "lastmile-domain",
        except: &[],
        forbidden: "leptos",
        why: "the domain knows no UI",
    },
    Rule {
        subject: "lastmile-protocol",
        except: &[],
        forbidden: "tokio",
        why: "wire types do no IO",
    },
    Rule {
        subject: "lastmile-protocol",
        except: &[],
        forbidden: "rusqlite",
        why: "wire types do no IO",
    },
    Rule {
        subject: "lastmile-ui",
        except: &[],
        forbidden: "rusqlite",
        why: "the UI never touches SQLite",
    },
    Rule {
        subject: "lastmile-ui",
        except: &[],
        forbidden: "lastmile-store",
        why: "the UI talks to the shell only",
    },
    Rule {
        subject: "lastmile-ui",
        except: &[],
        forbidden: "lastmile-sync",
        why: "the UI talks to the shell only",
    },
    Rule {
        subject: "lastmile-ui",
        except: &[],
        forbidden: "reqwest",
        why: "the UI talks to the shell only",
    },
    Rule {
        subject: "*",
        except: &["lastmile-app"],
        forbidden: "tauri",
        why: "only src-tauri knows Tauri",
    },
    Rule {
        subject: "*",
        except: &["lastmile-server"],
        forbidden: "axum",
        why: "only the server knows axum",
    },
];

/// Package name -> names of its normal and build dependencies (not dev), over the whole graph.
type Graph = BTreeMap<String, BTreeSet<String>>;

pub fn check() -> anyhow::Result<()> {
    eprintln!("==> dependency boundaries (ARCHITECTURE.md)");
    let mut cmd = crate::util::cargo(&["metadata", "--format-version", "1"]);
    let out = Command::output(&mut cmd).context("running cargo metadata")?;
    if !out.status.success() {
        bail!(
            "cargo metadata failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let meta: serde_json::Value =
        serde_json::from_slice(&out.stdout).context("parsing cargo metadata")?;
    let (graph, members) = graph_from_metadata(&meta)?;
    let violations = violations(&graph, &members);
    if violations.is_empty() {
        return Ok(());
    }
    bail!(
        "dependency boundaries broken:\n  {}",
        violations.join("\n  ")
    )
}

fn graph_from_metadata(meta: &serde_json::Value) -> anyhow::Result<(Graph, Vec<String>)> {
    let name_of: BTreeMap<&str, &str> = meta["packages"]
        .as_array()
        .context("metadata.packages")?
        .iter()
        .filter_map(|p| Some((p["id"].as_str()?, p["name"].as_str()?)))
        .collect();
    let mut graph = Graph::new();
    for node in meta["resolve"]["nodes"]
        .as_array()
        .context("metadata.resolve.nodes")?
    {
        let Some(name) = node["id"].as_str().and_then(|id| name_of.get(id)) else {
            continue;
        };
        let entry = graph.entry((*name).to_owned()).or_default();
        for dep in node["deps"].as_array().into_iter().flatten() {
            let non_dev = dep["dep_kinds"]
                .as_array()
                .into_iter()
                .flatten()
                .any(|k| k["kind"].as_str() != Some("dev"));
            if let (true, Some(dep_name)) =
                (non_dev, dep["pkg"].as_str().and_then(|id| name_of.get(id)))
            {
                entry.insert((*dep_name).to_owned());
            }
        }
    }
    let members = meta["workspace_members"]
        .as_array()
        .context("metadata.workspace_members")?
        .iter()
        .filter_map(|id| {
            id.as_str()
                .and_then(|id| name_of.get(id))
                .map(|n| (*n).to_owned())
        })
        .collect();
    Ok((graph, members))
}

/// Every broken rule, as "crate reaches forbidden via a -> b -> c (why)".
fn violations(graph: &Graph, members: &[String]) -> Vec<String> {
    let mut found = Vec::new();
    for rule in RULES {
        let subjects: Vec<&String> = members
            .iter()
            .filter(|m| {
                (rule.subject == "*" || m.as_str() == rule.subject)
                    && !rule.except.contains(&m.as_str())
            })
            .collect();
        for subject in subjects {
            if let Some(path) = path_to(graph, subject, rule.forbidden) {
                found.push(format!(
                    "{subject} must not depend on {} ({}), but: {}",
                    rule.forbidden,
                    rule.why,
                    path.join(" -> ")
                ));
            }
        }
    }
    found
}

/// A dependency path from `from` to `to`, breadth first.
fn path_to(graph: &Graph, from: &str, to: &str) -> Option<Vec<String>> {
    let mut parent: BTreeMap<&str, &str> = BTreeMap::new();
    let mut queue = std::collections::VecDeque::from([from]);
    let mut seen = BTreeSet::from([from]);
    while let Some(node) = queue.pop_front() {
        if node == to {
            let mut path = vec![to.to_owned()];
            let mut at = to;
            while let Some(p) = parent.get(at) {
                path.push((*p).to_owned());
                at = p;
            }
            path.reverse();
            return Some(path);
        }
        for next in graph.get(node).into_iter().flatten() {
            if seen.insert(next) {
                parent.insert(next, node);
                queue.push_back(next);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn graph(edges: &[(&str, &str)]) -> Graph {
        let mut g = Graph::new();
        for (a, b) in edges {
            g.entry((*a).to_owned())
                .or_default()
                .insert((*b).to_owned());
        }
        g
    }

    fn members(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn ui_reaching_sqlite_through_the_store_is_reported_with_its_path() {
        let g = graph(&[
            ("lastmile-ui", "lastmile-store"),
            ("lastmile-store", "rusqlite"),
        ]);
        let v = violations(&g, &members(&["lastmile-ui", "lastmile-store"]));
        assert!(
            v.iter()
                .any(|l| l.contains("lastmile-ui must not depend on rusqlite")
                    && l.contains("lastmile-ui -> lastmile-store -> rusqlite")),
            "{v:#?}"
        );
    }

    #[test]
    fn tauri_is_allowed_in_the_shell_only() {
        let g = graph(&[("lastmile-app", "tauri"), ("lastmile-sync", "tauri")]);
        let v = violations(&g, &members(&["lastmile-app", "lastmile-sync"]));
        assert_eq!(v.len(), 1, "{v:#?}");
        assert!(v[0].starts_with("lastmile-sync must not depend on tauri"));
    }

    #[test]
    fn a_clean_graph_passes() {
        let g = graph(&[
            ("lastmile-app", "tauri"),
            ("lastmile-server", "axum"),
            ("lastmile-domain", "geo"),
        ]);
        assert!(
            violations(
                &g,
                &members(&["lastmile-app", "lastmile-server", "lastmile-domain"])
            )
            .is_empty()
        );
    }
}
