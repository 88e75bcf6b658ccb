//! One module per screen.

pub mod about;
pub mod sign_in;
pub mod stop;
pub mod summary;
pub mod tour;
