//! Helpers shared by the simulator tests and benchmark.

pub mod server;
