//! Device-side sync: a sans-IO [`engine`] that decides what to send and when, a thin
//! reqwest [`transport`] that carries its requests to the server, and a tokio [`runner`]
//! that glues the two to the device store through the [`runner::Outbox`] trait.

pub mod engine;
pub mod runner;
pub mod transport;

pub use engine::{Engine, Input, Instruction, SyncStatus};
