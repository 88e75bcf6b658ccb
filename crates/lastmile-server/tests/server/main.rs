//! The server's one integration-test binary. Every story runs twice: on SQLite in a temp
//! dir and on a real throwaway PostgreSQL the suite starts itself (`testing::PgCluster`).
//! Stories talk HTTP to `make_router` in process (`oneshot`); `route_legs` serves it on a
//! loopback port to a real device (store + sync engine); `process` spawns the real binary;
//! `rows` reads rows by column name.

mod access;
mod device_sync;
mod group_commit;
mod hardening;
mod harness;
mod http_fuzz;
mod identity;
mod map;
mod offers;
mod process;
mod projections;
mod retention;
mod ride;
mod route_legs;
mod rows;
mod service;
mod station;
mod stories;
mod tls;

pub use harness::*;
