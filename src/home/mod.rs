//! The home page ("Start"): a greeting and each role's work list, assembled from the groups
//! every area contributes through its inbox source. The home page knows no area: the server
//! hands it the sources, so a new area adds its items without touching this module.
//!
//! The list is grouped by kind, each group showing its first [`SHOWN`] items with its whole
//! count and its links to the full list, or (`?order=due`) the shown items of every kind in one
//! list by due date, the undated last. An overdue item says so in words ("Zaległe. Po terminie od 5 dni.") and is
//! drawn with a mark and a border, never by colour alone.

mod kept;

use std::sync::Arc;

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;
use time::{Date, OffsetDateTime};

use crate::auth::policy::{Action, Gate, Target};
use crate::auth::session::{self, CurrentUser};
use crate::error::Result;
use crate::state::AppState;
use crate::web::inbox::{InboxGroup, InboxItem, InboxLink, InboxRead, InboxSource, ItemDue, SHOWN};
use crate::web::page::{Layout, render};
use crate::web::route::Route;
use kept::Kept;

/// `GET /`, listing the groups of `sources` in their order.
/// The work lists are kept between requests while they hold ([`kept`]).
pub fn routes(sources: Vec<InboxSource>) -> Vec<Route> {
    let sources: Arc<[InboxSource]> = sources.into();
    let kept = Arc::new(Kept::default());
    vec![Route::get(
        "/",
        Gate::Staff,
        move |State(state): State<AppState>, user: CurrentUser, Query(query): Query<HomeQuery>| {
            let sources = Arc::clone(&sources);
            let kept = Arc::clone(&kept);
            async move { home(state, user, &query, &sources, &kept).await }
        },
    )]
}

/// `?order=due` lists the work by due date; anything else groups it by kind.
#[derive(Debug, Default, Deserialize)]
struct HomeQuery {
    #[serde(default)]
    order: String,
}

/// An item as the page shows it.
struct ShownItem {
    item: InboxItem,
    /// The kind of work, when items of every kind are listed together.
    kind: Option<String>,
    /// "Po terminie od 3 dni.", for an overdue item.
    late: Option<String>,
}

/// A group as the page shows it.
struct ShownGroup {
    heading: String,
    note: Option<&'static str>,
    empty: Option<&'static str>,
    links: Vec<InboxLink>,
    items: Vec<ShownItem>,
    /// "Pokazano pierwszych 5.", when the group holds more than it shows.
    more: Option<String>,
}

#[derive(Template)]
#[template(path = "home/index.html")]
struct HomePage {
    layout: Layout,
    /// Some group holds work to do.
    has_work: bool,
    /// The work is listed by due date.
    by_due: bool,
    /// Listed by due date, some kinds hold more than their first items shown.
    more: bool,
    groups: Vec<ShownGroup>,
}

async fn home(
    state: AppState,
    user: CurrentUser,
    query: &HomeQuery,
    sources: &[InboxSource],
    kept: &Kept,
) -> Result<Response> {
    user.authorize(&state, Action::ViewHome, Target::Centre)
        .await?;
    let today = state.today();
    let groups = match kept.get(&user, today, state.clock.now()) {
        Some(groups) => groups,
        None => {
            let (groups, until) = work_list(&state, &user, today, sources).await?;
            kept.put(&user, today, until, Arc::clone(&groups));
            groups
        }
    };
    let groups = Vec::clone(&groups);
    // The count beside "Start" on the next pages: all the work due, kept with the session.
    let due = work_count(&groups);
    // Written only when it is new (a count kept unchanged lapses after ten minutes and is
    // written again then), so looking at Start again costs no write.
    if user.work_count != Some(due) {
        session::set_work_count(&state.db, &user.session_hash, due, state.clock.now()).await?;
    }
    let has_work = groups.iter().any(InboxGroup::has_work);
    let by_due = query.order == "due";
    let more = by_due
        && groups
            .iter()
            .any(|g| g.has_work() && g.count > g.items.len().min(SHOWN));
    let groups = if by_due {
        by_due_date(groups, today)
    } else {
        groups.into_iter().map(|g| shown(g, today)).collect()
    };
    render(&HomePage {
        layout: Layout::for_user(&state, &user, "Start", "/").with_work_count(due),
        has_work,
        by_due,
        more,
        groups,
    })
}

/// What the areas have for `user` on `today`: the work due first, in the areas' order, then
/// the lists to look things up in; and until when it holds without a write, if an area said.
async fn work_list(
    state: &AppState,
    user: &CurrentUser,
    today: Date,
    sources: &[InboxSource],
) -> Result<(Arc<Vec<InboxGroup>>, Option<OffsetDateTime>)> {
    let mut groups = Vec::new();
    // One connection for every area's statements (see `InboxSource`), returned before the
    // session's count is written.
    let mut read = InboxRead::new(state.db.acquire().await?);
    for source in sources {
        groups.extend(source(state, &mut read, user, today).await?);
    }
    groups.sort_by_key(|g| g.reference);
    Ok((Arc::new(groups), read.until()))
}

/// The total of the work due: every work group's whole count (its items may be fewer).
fn work_count(groups: &[InboxGroup]) -> i32 {
    let due: usize = groups
        .iter()
        .filter(|g| g.has_work())
        .map(|g| g.count)
        .sum();
    i32::try_from(due).unwrap_or(i32::MAX)
}

/// "Po terminie od 1 dnia.", "Po terminie od 5 dni.".
fn late_text(due: ItemDue, today: Date) -> Option<String> {
    if !due.overdue {
        return None;
    }
    Some(match due.on.map(|on| (today - on).whole_days()) {
        Some(1) => "Po terminie od 1 dnia.".to_owned(),
        Some(n) if n > 1 => format!("Po terminie od {n} dni."),
        _ => "Po terminie.".to_owned(),
    })
}

/// A group's first [`SHOWN`] items, marked when overdue.
fn shown(group: InboxGroup, today: Date) -> ShownGroup {
    let mut group = group;
    let held = group.count.max(group.items.len());
    group.items.truncate(SHOWN);
    let dues: Vec<ItemDue> = (0..group.items.len()).map(|i| group.due_of(i)).collect();
    ShownGroup {
        more: (held > group.items.len() && !group.items.is_empty())
            .then(|| format!("Pokazano pierwszych {}.", group.items.len())),
        heading: group.heading,
        note: group.note,
        empty: group.empty,
        links: group.links,
        items: group
            .items
            .into_iter()
            .zip(dues)
            .map(|(item, due)| ShownItem {
                item,
                kind: None,
                late: late_text(due, today),
            })
            .collect(),
    }
}

/// The items of every work group in one list by due date (the undated last, each kind's
/// order kept among equal days), each naming its kind; then the reference lists as they are.
fn by_due_date(groups: Vec<InboxGroup>, today: Date) -> Vec<ShownGroup> {
    let (work, reference): (Vec<InboxGroup>, Vec<InboxGroup>) =
        groups.into_iter().partition(|g| !g.reference);
    let mut items: Vec<(ItemDue, ShownItem)> = Vec::new();
    for group in work {
        let kind = group.kind().to_owned();
        for (i, item) in group.items.iter().take(SHOWN).enumerate() {
            let due = group.due_of(i);
            items.push((
                due,
                ShownItem {
                    item: item.clone(),
                    kind: Some(kind.clone()),
                    late: late_text(due, today),
                },
            ));
        }
    }
    items.sort_by_key(|(due, _)| (due.on.is_none(), due.on));
    let mut shown = Vec::new();
    if !items.is_empty() {
        shown.push(ShownGroup {
            heading: format!("Wszystkie zadania według terminu ({})", items.len()),
            note: None,
            empty: None,
            links: Vec::new(),
            items: items.into_iter().map(|(_, item)| item).collect(),
            more: None,
        });
    }
    shown.extend(reference.into_iter().map(|g| self::shown(g, today)));
    shown
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    fn item(title: &str) -> InboxItem {
        InboxItem {
            title: title.to_owned(),
            ..InboxItem::default()
        }
    }

    #[test]
    fn the_lateness_is_counted_in_days() {
        let today = date!(2026 - 11 - 30);
        let by = |d| late_text(ItemDue::by(d, today), today);
        assert_eq!(
            by(date!(2026 - 11 - 29)).as_deref(),
            Some("Po terminie od 1 dnia.")
        );
        assert_eq!(
            by(date!(2026 - 11 - 25)).as_deref(),
            Some("Po terminie od 5 dni.")
        );
        assert_eq!(by(today), None);
        assert_eq!(
            late_text(ItemDue::since(date!(2026 - 01 - 01)), today),
            None
        );
    }

    #[test]
    fn the_due_order_puts_the_earliest_first_and_the_undated_last() {
        let today = date!(2026 - 11 - 30);
        let first = InboxGroup::dated(
            "A (2)",
            vec![
                (item("a1"), ItemDue::by(date!(2026 - 12 - 03), today)),
                (item("a2"), ItemDue::by(date!(2026 - 11 - 20), today)),
            ],
        );
        let undated = InboxGroup {
            heading: "B (1)".to_owned(),
            count: 1,
            items: vec![item("b1")],
            ..InboxGroup::default()
        };
        let second = InboxGroup::dated(
            "C (1)",
            vec![(item("c1"), ItemDue::since(date!(2026 - 11 - 25)))],
        );
        let mine = InboxGroup::reference("Moi (1)", vec![item("r1")], "");
        let shown = by_due_date(vec![first, undated, second, mine], today);
        assert_eq!(shown.len(), 2);
        let titles: Vec<(&str, Option<&str>)> = shown[0]
            .items
            .iter()
            .map(|i| (i.item.title.as_str(), i.kind.as_deref()))
            .collect();
        assert_eq!(
            titles,
            [
                ("a2", Some("A")),
                ("c1", Some("C")),
                ("a1", Some("A")),
                ("b1", Some("B"))
            ]
        );
        assert_eq!(
            shown[0].items[0].late.as_deref(),
            Some("Po terminie od 10 dni.")
        );
        assert_eq!(shown[0].heading, "Wszystkie zadania według terminu (4)");
        assert_eq!(shown[1].items[0].item.title, "r1");
    }

    #[test]
    fn a_group_shows_its_first_few_and_says_so_when_it_holds_more() {
        let today = date!(2026 - 11 - 30);
        let many = InboxGroup::dated(
            "A (12)",
            (1..=12u8)
                .map(|d| {
                    let on = date!(2026 - 11 - 01).replace_day(d).unwrap();
                    (item(&format!("a{d}")), ItemDue::by(on, today))
                })
                .collect(),
        );
        let shown_many = shown(many, today);
        let titles: Vec<&str> = shown_many
            .items
            .iter()
            .map(|i| i.item.title.as_str())
            .collect();
        assert_eq!(titles, ["a1", "a2", "a3", "a4", "a5"]);
        assert_eq!(shown_many.more.as_deref(), Some("Pokazano pierwszych 5."));
        // A group read up to its first five whose count says more.
        let capped = InboxGroup {
            count: 40,
            items: (0..5).map(|n| item(&n.to_string())).collect(),
            ..InboxGroup::default()
        };
        assert_eq!(
            shown(capped, today).more.as_deref(),
            Some("Pokazano pierwszych 5.")
        );
        let few = InboxGroup::dated(
            "B (2)",
            vec![
                (item("b1"), ItemDue::since(today)),
                (item("b2"), ItemDue::since(today)),
            ],
        );
        let shown_few = shown(few, today);
        assert_eq!(shown_few.items.len(), 2);
        assert_eq!(shown_few.more, None);
    }

    #[test]
    fn the_count_is_all_the_work_and_no_reference_list() {
        let work = InboxGroup {
            count: 12,
            items: vec![item("x")],
            ..InboxGroup::default()
        };
        let mine = InboxGroup::reference("Moi", vec![item("r")], "");
        let info = InboxGroup::new("Konta", Vec::new(), "");
        assert_eq!(work_count(&[work, mine, info]), 12);
    }
}
