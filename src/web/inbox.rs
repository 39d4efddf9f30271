//! The home page's work list is assembled from what each area contributes: an area exposes an
//! [`InboxSource`], a function that answers, for one user, the groups of work that area has for
//! them (a few queries per area, never one per item). The home page knows no area; the server
//! hands it the sources.

use std::future::Future;
use std::pin::Pin;

use time::Date;

use crate::auth::session::CurrentUser;
use crate::error::Result;
use crate::state::AppState;

/// One group of the work list ("Moi podopieczni", "Do zatwierdzenia", …).
#[derive(Clone, Debug, Default)]
pub struct InboxGroup {
    /// The heading, with the count where it helps.
    pub heading: String,
    /// How many things the group holds (its items may be fewer, when capped).
    pub count: usize,
    /// The items, each with one link to where the work is done.
    pub items: Vec<InboxItem>,
    /// Shown when there are no items; `None` hides an empty group.
    pub empty: Option<&'static str>,
    /// A line under the heading.
    pub note: Option<&'static str>,
    /// Links under the group.
    pub links: Vec<InboxLink>,
    /// A list to look things up in ("Moi podopieczni"), not work due: shown after the work.
    pub reference: bool,
}

/// One thing to see or do.
#[derive(Clone, Debug, Default)]
pub struct InboxItem {
    /// Where the work is done.
    pub href: Option<String>,
    /// The person or the thing.
    pub title: String,
    /// What it is about (a status, a count).
    pub detail: Option<String>,
    /// The date it concerns, as shown.
    pub due: Option<String>,
    /// A warning in words (overdue, ending soon).
    pub warning: Option<String>,
}

/// A link under a group.
#[derive(Clone, Debug)]
pub struct InboxLink {
    /// Target.
    pub href: &'static str,
    /// Polish label.
    pub label: &'static str,
}

/// The future an [`InboxSource`] returns.
pub type InboxFuture<'a> = Pin<Box<dyn Future<Output = Result<Vec<InboxGroup>>> + Send + 'a>>;

/// An area's contribution to the work list of `user` on `today`.
pub type InboxSource = for<'a> fn(&'a AppState, &'a CurrentUser, Date) -> InboxFuture<'a>;

impl InboxGroup {
    /// A group that shows even when empty, with `empty` as its text.
    pub fn new(heading: impl Into<String>, items: Vec<InboxItem>, empty: &'static str) -> Self {
        Self {
            heading: heading.into(),
            count: items.len(),
            items,
            empty: Some(empty),
            ..Self::default()
        }
    }

    /// A reference list (see [`InboxGroup::reference`]) that shows even when empty.
    pub fn reference(
        heading: impl Into<String>,
        items: Vec<InboxItem>,
        empty: &'static str,
    ) -> Self {
        Self {
            reference: true,
            ..Self::new(heading, items, empty)
        }
    }

    /// Whether the group holds work to do.
    pub fn has_work(&self) -> bool {
        !self.reference && !self.items.is_empty()
    }
}
