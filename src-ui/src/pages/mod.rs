//! One module per screen.

pub mod sign_in;
pub mod stop;
pub mod tour;
