//! The kit every area builds its pages with: request extractors (forms with the synchronizer
//! token, path ids), page rendering with the shared layout, route declarations, and the form
//! kit (field errors, choices, date checks, the end of a successful write), and the one
//! confirmation page of every danger action, and the CSV/XLSX downloads (`export`).

pub mod confirm;
pub mod export;
pub mod extract;
pub mod finish;
pub mod forms;
pub mod inbox;
pub mod page;
pub mod path;
pub mod route;
