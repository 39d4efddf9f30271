//! Graduate follow-up (monitoring absolwentów, seed 002): for three years after graduation the
//! social worker keeps contact on a schedule. This area owns the schedule: the effective-dated
//! rule of when contacts fall due, creating the dated contacts at graduation, and the
//! social worker's work list of contacts due. Recording the contacts and their screens come
//! with the follow-up issue.
//!
//! Invariant: a graduate's schedule is created in the same transaction as the graduation, from
//! the rule in force on the graduation date.

mod inbox;
pub mod schedule;

pub use inbox::inbox_items;
