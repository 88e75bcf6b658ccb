//! Desktop entry point; mobile builds enter through `lastmile_app_lib::run` instead.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    lastmile_app_lib::run()
}
