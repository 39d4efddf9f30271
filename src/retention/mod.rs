//! Retention with legal hold (issue 13, data protection item 3; LAW.md "Data protection").
//!
//! How long the centre keeps a file is its own archival rule (its instrukcja kancelaryjna), so
//! every period is an effective-dated row the manager enters per retention class
//! ([`RetentionClass`], `rules`); nothing is invented in code, and with no row in force for a
//! class no file of that class is ever due. The classes follow the file's end:
//!   * the file of a graduate, counted from the end of the follow-up (three years of contacts
//!     belong to the file) or the last record, whichever is later;
//!   * the file of a participant whose participation was terminated, from its end or the last
//!     record;
//!   * the file of a candidate never admitted (still waiting, or withdrawn before admission),
//!     from the last record;
//!   * attendance and benefit records, from the last attendance day or the end of the last
//!     month with a benefit statement (the PUP refunds and the accounts rest on them). A file
//!     with such records is due only once both its own class and this one have passed.
//!
//! "The last record" is the latest of the status changes, case notes, recruitment documents and
//! follow-up contacts: a file written in after its end is still in use.
//!
//! A daily job (`scan`: the server's housekeeping and `teczka retention scan`) records each file
//! whose period has passed, unless a legal hold is in place, as due for review: each file in its
//! own transaction with its audit row, once (rerunning changes nothing; stopping it anywhere
//! leaves every file either found or not). The manager reviews the list (`review`, also on
//! Start), opens a file's retention page and confirms its anonymisation: the database function
//! `anonymise_participant` then removes names, PESEL, address, contact data and every free text
//! in place and deletes the scans, keeping dates, statuses, categories, attendance, amounts and
//! employment codes, so every past report and benefit list adds up as before. Files of
//! candidates never admitted are anonymised too, not deleted: their referral and status dates
//! count in the annual report's recruitment figures and the audit log names their id. A legal
//! hold (`holds`: reason, who, until a date or indefinitely) stops all of it. Every step is
//! audited; the audit log itself is never rewritten.

mod holds;
mod inbox;
mod review;
mod rules;
pub mod scan;

pub use inbox::inbox_items;

use time::Date;

use crate::auth::policy::Gate;
use crate::domain::vocabulary;
use crate::validate::dates;
use crate::web::route::Route;

/// An optional date typed into a form: `None` when left empty, else the date if `check`
/// accepts it.
fn optional_date(
    value: &str,
    check: impl FnOnce(Date) -> Result<Date, String>,
) -> Result<Option<Date>, String> {
    if value.trim().is_empty() {
        Ok(None)
    } else {
        dates::parse(value).and_then(check).map(Some)
    }
}

vocabulary! {
    /// The kind of record a retention period applies to.
    #[derive(sqlx::Type)]
    #[sqlx(type_name = "retention_class", rename_all = "snake_case")]
    pub enum RetentionClass {
        /// A graduate's file.
        GraduateFile = ("graduate_file", "Teczka absolwenta (od końca monitoringu lub ostatniego wpisu)"),
        /// The file of a participant whose participation was terminated.
        TerminatedFile = ("terminated_file", "Teczka uczestnika, który przerwał udział (od końca udziału lub ostatniego wpisu)"),
        /// The file of a candidate never admitted.
        CandidateFile = ("candidate_file", "Teczka kandydata nieprzyjętego (od ostatniego wpisu)"),
        /// Attendance and benefit records.
        BenefitRecords = ("benefit_records", "Ewidencja obecności i świadczeń (od ostatniego dnia obecności lub miesiąca rozliczenia)"),
    }
}

/// The retention routes: the review list and the periods are the centre's (the manager's);
/// a file's retention page, its holds and its anonymisation live under the file.
pub fn routes() -> Vec<Route> {
    use Gate::{ParticipantFile as File, Staff};
    vec![
        Route::get("/retention", Staff, review::list_due),
        Route::get(rules::PAGE, Staff, rules::retention_settings),
        Route::post(rules::PAGE, Staff, rules::add_retention_rule),
        // The data-protection officer reads it too (the policy's reach), so the gate is Staff.
        Route::get(
            "/participants/{id}/retention",
            Staff,
            review::file_retention,
        ),
        Route::post("/participants/{id}/anonymise", File, review::anonymise),
        Route::post("/participants/{id}/holds", File, holds::set_hold),
        Route::post("/participants/{id}/holds/lift", File, holds::lift_hold),
    ]
}
