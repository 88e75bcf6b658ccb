//! End-to-end tests through the real webview. One binary, one module per area.
//! Each test starts its own Xvfb, server, drivers and app (see `lastmile_tests::ui`).

mod audit;
mod common;
mod conflicts;
mod corrections;
mod demo;
mod doorstep;
mod driver_day;
mod evidence;
mod guidance;
mod https;
mod languages;
mod map;
mod modes;
mod offers;
mod offline;
mod overview;
mod ride;
mod service;
mod smoke;
mod station;
