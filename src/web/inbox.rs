//! The home page's work list is assembled from what each area contributes: an area exposes an
//! [`InboxSource`], a function that answers, for one user, the groups of work that area has for
//! them (a few queries per area, never one per item). The home page knows no area; the server
//! hands it the sources. Each item may say when its work is due ([`ItemDue`]): the page can
//! then order all items by that day and marks the overdue ones in words and by shape.

use std::any::Any;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use sqlx::pool::PoolConnection;
use sqlx::{PgConnection, Postgres};
use time::{Date, OffsetDateTime};

use crate::auth::session::CurrentUser;
use crate::error::Result;
use crate::state::AppState;

/// The items a group shows on Start, the earliest due first: its heading gives the whole count
/// and its links lead to the full list where the work is done. An area reads no more than
/// these (and its capped count), so the page costs the same whatever the number of items.
pub const SHOWN: usize = 5;

/// [`SHOWN`] as a statement's `limit`.
pub const SHOWN_ROWS: i64 = SHOWN as i64;

/// A social worker's caseload up to this many people is read from its people (a CIS's
/// caseload holds tens); a larger one from the centre's lists in due order, which find a
/// large caseload's first items soon but would walk the whole centre for a small one. A
/// statement decides once, from the caseload's size counted up to this cap.
pub const SMALL_CASELOAD: i64 = 1000;

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
    /// When each of `items` is due, by position. A group that gives none (or fewer than its
    /// items) leaves the rest undated: they sort after the dated ones and are not marked.
    pub dues: Vec<ItemDue>,
}

/// A count read up to `cap` and one more: "ponad {cap}" beyond it.
pub fn capped(n: i64, cap: i64) -> String {
    if n > cap {
        format!("ponad {cap}")
    } else {
        n.to_string()
    }
}

/// A count read up to a limit: "co najmniej N" when the limit was reached.
pub fn at_least(n: i64, more: bool) -> String {
    if more {
        format!("co najmniej {n}")
    } else {
        n.to_string()
    }
}

/// When an item's work is due.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ItemDue {
    /// The day the work is due; for something waiting for the user's step (a document to
    /// approve, a request), the day it began to wait. Orders the list by due date.
    pub on: Option<Date>,
    /// The day has passed without the work done.
    pub overdue: bool,
}

impl ItemDue {
    /// Due on `on`: overdue once `today` is past it.
    pub fn by(on: Date, today: Date) -> Self {
        Self {
            on: Some(on),
            overdue: on < today,
        }
    }

    /// Waiting for the user since `on`: due now, not overdue.
    pub fn since(on: Date) -> Self {
        Self {
            on: Some(on),
            overdue: false,
        }
    }
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

/// An area's contribution to the work list of `user` on `today`, read through `read`: the home
/// page takes one connection for all the areas (with row-level security every checkout from
/// the pool costs a round trip to name the centre, see `db::rls`).
pub type InboxSource =
    for<'a> fn(&'a AppState, &'a mut InboxRead, &'a CurrentUser, Date) -> InboxFuture<'a>;

/// What the areas read for one user's work list: the one connection they share, and the reads
/// that serve several areas (the document engine's lists, which hold the documents of every
/// kind) kept for the page, so that the second area asking for one costs no statement.
pub struct InboxRead {
    conn: PoolConnection<Postgres>,
    shared: Vec<Arc<dyn Any + Send + Sync>>,
    until: Option<OffsetDateTime>,
}

impl InboxRead {
    /// A read on `conn`.
    pub fn new(conn: PoolConnection<Postgres>) -> Self {
        Self {
            conn,
            shared: Vec::new(),
            until: None,
        }
    }

    /// Says that what the area read changes at `at` without any write (a lock on an account
    /// lapsing): the list may be kept until then only. The work the areas read otherwise
    /// changes with a write or with the day, and the home page keeps it for as long as neither
    /// happens (`home::kept`).
    pub fn lasts_until(&mut self, at: OffsetDateTime) {
        self.until = Some(self.until.map_or(at, |until| until.min(at)));
    }

    /// The earliest moment an area gave to [`InboxRead::lasts_until`].
    pub fn until(&self) -> Option<OffsetDateTime> {
        self.until
    }

    /// The connection.
    pub fn conn(&mut self) -> &mut PgConnection {
        &mut self.conn
    }

    /// The shared read of type `T`, if an area has made it.
    pub fn shared<T: Any + Send + Sync>(&self) -> Option<Arc<T>> {
        self.shared
            .iter()
            .find_map(|value| Arc::clone(value).downcast::<T>().ok())
    }

    /// Keeps `value` for the areas that ask after this one.
    pub fn keep<T: Any + Send + Sync>(&mut self, value: T) -> Arc<T> {
        let value = Arc::new(value);
        self.shared
            .push(Arc::clone(&value) as Arc<dyn Any + Send + Sync>);
        value
    }
}

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

    /// A group of `items` with when each is due, shown only when it holds some.
    pub fn dated(heading: impl Into<String>, items: Vec<(InboxItem, ItemDue)>) -> Self {
        let count = items.len();
        let (items, dues) = items.into_iter().unzip();
        Self {
            heading: heading.into(),
            count,
            items,
            dues,
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

    /// When the item at `index` is due (undated beyond [`InboxGroup::dues`]).
    pub fn due_of(&self, index: usize) -> ItemDue {
        self.dues.get(index).copied().unwrap_or_default()
    }

    /// The heading without the count it ends with ("IPZS do zatwierdzenia (3)" → "IPZS do
    /// zatwierdzenia"): the kind of an item when items of every kind are listed together.
    pub fn kind(&self) -> &str {
        let h = self.heading.as_str();
        match h.rfind(" (") {
            Some(at) if h.ends_with(')') => &h[..at],
            _ => h,
        }
    }
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    #[test]
    fn an_item_is_overdue_only_after_its_day() {
        let today = date!(2026 - 11 - 30);
        assert!(ItemDue::by(date!(2026 - 11 - 29), today).overdue);
        assert!(!ItemDue::by(today, today).overdue);
        assert!(!ItemDue::since(date!(2026 - 10 - 01)).overdue);
    }

    #[test]
    fn the_kind_is_the_heading_without_its_count() {
        let group = |h: &str| InboxGroup {
            heading: h.to_owned(),
            ..InboxGroup::default()
        };
        assert_eq!(
            group("IPZS do zatwierdzenia (3)").kind(),
            "IPZS do zatwierdzenia"
        );
        assert_eq!(
            group("Koniec udziału (ponad 1000)").kind(),
            "Koniec udziału"
        );
        assert_eq!(group("Świadczenia").kind(), "Świadczenia");
        let dated = InboxGroup::dated(
            "X",
            vec![(InboxItem::default(), ItemDue::since(date!(2026 - 01 - 02)))],
        );
        assert_eq!(dated.due_of(0).on, Some(date!(2026 - 01 - 02)));
        assert_eq!(dated.due_of(1), ItemDue::default());
    }
}
