//! The document engine: what the IPZS and the social contract (DOMAIN.md "IPZS",
//! "Kontrakt socjalny") have in common as *approvable documents*.
//!
//! A document is drafted, submitted for approval, then either approved or returned to its
//! author with a comment; an approved document is signed (on paper; the app records it), put
//! into realization and finally closed. Invariants every caller may rely on:
//!
//! - **Frozen text.** From approval on, a version's text never changes. A change to an
//!   approved or signed document is an amendment (aneks): a *new version*, drafted from the
//!   current text, that goes through the same workflow while the earlier signed version stays
//!   in force.
//! - **Append-only history.** Versions are numbered 1, 2, … and are never removed or rewritten.
//! - **Segregation of duties.** The author of a document never approves it, nor returns it:
//!   the review is someone else's act. Role rules (who may approve at all) live in the policy
//!   module, not here.
//!
//! [`workflow`] is the status machine, [`version`] the version history and [`diff`] the
//! comparison of two versions: pure, no database, no HTTP. [`db`] holds the tables' queries and
//! [`step`] the one transaction every workflow step of every kind goes through (lock, policy,
//! status machine, guarded update, history, audit, commit, flash, redirect), with the steps
//! every kind shares (submit, the guarded draft save, amendment, a step that leaves the status).
//! What every kind's pages share: [`access`] (the audited read of a document of one kind),
//! [`view`] (header, versions, history), [`pages`] (signature and scan rows, the version route,
//! the diff, the stale-save page), [`paper`] and [`scan`] (signatures and scans), [`inbox`]
//! (what waits on "Do zrobienia"). A kind (the IPZS, the social contract) adds its routes,
//! forms, views and content on top.

pub mod access;
pub mod db;
pub mod diff;
pub mod inbox;
pub mod pages;
pub mod paper;
pub mod scan;
pub mod step;
pub mod version;
pub mod view;
pub mod workflow;
