//! The participant list and search: keyset pages whose cursor is an id, prefix-range search on
//! byte-order indexes, capped counts. Who may be listed comes from the policy as a
//! [`ListScope`]; this module turns it into SQL and never re-decides it.

use sqlx::{PgExecutor, Postgres, QueryBuilder};
use time::Date;
use uuid::Uuid;

use crate::audit::meta::RequestMeta;
use crate::audit::{self, AuditEvent};
use crate::auth::policy::ListScope;
use crate::auth::scope::push_scope;
use crate::domain::fold::prefix_end;
use crate::domain::{Category, Status};

/// How the list is ordered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sort {
    /// Surname, first names (Polish alphabet).
    Name,
    /// Most recently registered first.
    Newest,
    /// Soonest planned end first (active participants).
    Ending,
}

/// What the list or search asks for; the scope comes from the actor.
#[derive(Clone, Debug, Default)]
pub struct ListFilter {
    pub status: StatusFilter,
    pub category: Option<Category>,
    /// `Some(None)`: only participants without a social worker.
    pub worker: Option<Option<Uuid>>,
    pub workshop: Option<Uuid>,
    pub after: Option<Uuid>,
}

/// Which statuses a list shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum StatusFilter {
    /// Every status.
    #[default]
    Any,
    /// In the programme now: the trial period and participants (the list's default).
    Active,
    /// One status.
    One(Status),
}

impl StatusFilter {
    /// `and …` over `column`, the status of the row.
    fn push(self, q: &mut QueryBuilder<'_, Postgres>, column: &str) {
        match self {
            StatusFilter::Any => {}
            StatusFilter::Active => {
                q.push(format_args!(" and {column} in ('trial', 'participant')"));
            }
            StatusFilter::One(status) => {
                q.push(format_args!(" and {column} = ")).push_bind(status);
            }
        }
    }
}

/// A name or PESEL search.
#[derive(Clone, Debug)]
pub enum Search {
    /// No search: the plain list.
    None,
    /// PESEL prefix (digits).
    Pesel(String),
    /// One word: a prefix of the surname or of the first names (folded: `domain::fold`).
    OneWord(String),
    /// Two words: surname and first name prefixes, in either order.
    TwoWords(String, String),
}

/// A row of the list, with the names of its social worker and workshop. Every row also carries
/// the capped count of the whole list and whether the cursor row is one the actor may list (the
/// same for every row: computed once by the statement, so a page is one round trip).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Row {
    pub participant_id: Uuid,
    pub surname: String,
    pub first_names: String,
    pub status: Status,
    pub social_worker_id: Option<Uuid>,
    pub workshop_id: Option<Uuid>,
    pub planned_end_on: Option<Date>,
    /// `K` or `M`, when recorded.
    pub sex: Option<String>,
    pub worker_name: Option<String>,
    pub workshop_name: Option<String>,
    pub total: i64,
    pub cursor_visible: bool,
}

/// A social worker or a workshop, by name.
#[derive(Debug, Clone)]
pub struct Named {
    /// Id.
    pub id: Uuid,
    /// Name.
    pub name: String,
    /// Still active (an inactive social worker keeps their name on old rows).
    pub active: bool,
}

/// The centre's social workers (active or not) and workshops, for the filter options.
#[derive(Debug, Clone, Default)]
pub struct Names {
    /// Social workers.
    pub social_workers: Vec<Named>,
    /// Workshops.
    pub workshops: Vec<Named>,
}

impl Names {
    /// Loads both lists in one query.
    pub async fn load(db: impl PgExecutor<'_>, centre_id: Uuid) -> sqlx::Result<Names> {
        let rows = sqlx::query!(
            r#"
            select 's' as "kind!", staff_user_id as "id!", full_name as "name!", active as "active!"
            from staff_user where centre_id = $1 and role = 'social_worker'
            union all
            select 'w', workshop_id, name, true from workshop where centre_id = $1
            order by 1, 3
            "#,
            centre_id
        )
        .fetch_all(db)
        .await?;
        let mut names = Names::default();
        for r in rows {
            let list = if r.kind == "s" {
                &mut names.social_workers
            } else {
                &mut names.workshops
            };
            list.push(Named {
                id: r.id,
                name: r.name,
                active: r.active,
            });
        }
        Ok(names)
    }
}

/// Rows per page.
pub const PAGE: i64 = 50;

fn push_prefix(q: &mut QueryBuilder<'_, Postgres>, column: &str, prefix: &str) {
    // `column` is one of the fixed keys below, never user input. The town matches whole
    // (its index then gives the search order, migration 0014), the social worker exactly
    // (`Town::CaseloadOf`); names match by prefix.
    if column == CITY_KEY || column == WORKER_KEY {
        let cast = if column == WORKER_KEY { "::uuid" } else { "" };
        q.push(format_args!(" {column} = "))
            .push_bind(prefix.to_owned())
            .push(cast);
        return;
    }
    q.push(format_args!(" ({column} >= "))
        .push_bind(prefix.to_owned());
    q.push(format_args!(" and {column} < "))
        .push_bind(prefix_end(prefix))
        .push(")");
}

/// The search keys: names folded (lower case, no diacritics) and stored by the database
/// (`fold_name()`, migration 0007), which the search indexes are built on; the words come
/// folded by `domain::fold`.
const SURNAME_KEY: &str = "p.surname_folded";
const FIRST_KEY: &str = "p.first_names_folded";
const CITY_KEY: &str = "p.city_folded";
const WORKER_KEY: &str = "p.social_worker_id";

/// Whether a one-word search also matches the town: where someone lives is personal data, so
/// only for roles that read it, and for a social worker only within their own caseload.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Town {
    No,
    Anyone,
    CaseloadOf(Uuid),
}

fn push_filters(q: &mut QueryBuilder<'_, Postgres>, filter: &ListFilter) {
    filter.status.push(q, "p.status");
    if let Some(category) = filter.category {
        q.push(" and p.categories @> array[")
            .push_bind(category)
            .push("]::eligibility_category[]");
    }
    match filter.worker {
        Some(Some(worker)) => {
            q.push(" and p.social_worker_id = ").push_bind(worker);
        }
        Some(None) => {
            q.push(" and p.social_worker_id is null");
        }
        None => {}
    }
    if let Some(workshop) = filter.workshop {
        q.push(" and m.workshop_id = ").push_bind(workshop);
    }
}

/// The branches of a name search, each a conjunction of prefix ranges whose first part is the
/// surname or the first-names index, or the town (whole). One word matches any of the three;
/// two words match surname and first name in either order.
fn branches(search: &Search, town: Town) -> Vec<Branch> {
    match search {
        Search::OneWord(w) => {
            let mut branches = vec![vec![(SURNAME_KEY, w.clone())], vec![(FIRST_KEY, w.clone())]];
            match town {
                Town::No => {}
                Town::Anyone => branches.push(vec![(CITY_KEY, w.clone())]),
                Town::CaseloadOf(worker) => {
                    branches.push(vec![
                        (CITY_KEY, w.clone()),
                        (WORKER_KEY, worker.to_string()),
                    ]);
                }
            }
            branches
        }
        Search::TwoWords(a, b) => vec![
            vec![(SURNAME_KEY, a.clone()), (FIRST_KEY, b.clone())],
            vec![(SURNAME_KEY, b.clone()), (FIRST_KEY, a.clone())],
        ],
        Search::None | Search::Pesel(_) => Vec::new(),
    }
}

/// A branch of a name search: its prefix ranges.
type Branch = Vec<(&'static str, String)>;

/// Writes `each` for every branch (with the branches before it), `separator` between them.
fn push_branches(
    q: &mut QueryBuilder<'_, Postgres>,
    branches: &[Branch],
    separator: &str,
    mut each: impl FnMut(&mut QueryBuilder<'_, Postgres>, &Branch, &[Branch]),
) {
    for (i, branch) in branches.iter().enumerate() {
        if i > 0 {
            q.push(separator);
        }
        each(q, branch, &branches[..i]);
    }
}

/// A branch's ranges, and not those of the branches before it: the branches then never share
/// a row, so `union all` needs no deduplication (which cost about a sixth of a search).
fn push_disjoint(q: &mut QueryBuilder<'_, Postgres>, branch: &Branch, earlier: &[Branch]) {
    push_ranges(q, branch);
    for other in earlier {
        q.push(" and not (true");
        push_ranges(q, other);
        q.push(")");
    }
}

/// `and <range> and <range>`: the prefix ranges of one branch.
fn push_ranges(q: &mut QueryBuilder<'_, Postgres>, branch: &[(&'static str, String)]) {
    for (column, prefix) in branch {
        q.push(" and");
        push_prefix(q, column, prefix);
    }
}

fn push_pesel(q: &mut QueryBuilder<'_, Postgres>, search: &Search) {
    if let Search::Pesel(digits) = search {
        q.push(" and p.pesel >= ").push_bind(digits.clone());
        q.push(" and p.pesel < ").push_bind(prefix_end(digits));
    }
}

/// The columns of a row, for the inner select of a page (the head adds the count and the
/// cursor check).
const ROW_COLUMNS: &str = "select p.participant_id, p.surname, p.first_names, p.status, \
     p.social_worker_id, m.workshop_id, p.planned_end_on, p.sex, p.surname_folded from participant p ";
const JOINS: &str = "left join workshop_membership m on m.participant_id = p.participant_id and m.member_until is null ";
/// The "ending soonest" order lists active participants with a planned end only.
const ENDING: &str = " and p.planned_end_on is not null and p.status in ('trial', 'participant')";
const SEARCH_ORDER: &str = "p.surname_folded, p.participant_id";

/// Everything after `where` that every variant shares: centre, role scope, filters.
fn push_common(
    q: &mut QueryBuilder<'_, Postgres>,
    centre_id: Uuid,
    scope: ListScope,
    filter: &ListFilter,
) {
    q.push("where p.centre_id = ").push_bind(centre_id);
    push_scope(q, scope);
    push_filters(q, filter);
}

/// `and (key) > (key of the cursor row)`: keyset pagination whose cursor is an id, so no
/// name ever travels in a URL.
fn push_cursor(
    q: &mut QueryBuilder<'_, Postgres>,
    centre_id: Uuid,
    after: Option<Uuid>,
    key: &str,
    cmp: &str,
) {
    if let Some(after) = after {
        let inner_key = key.replace("p.", "c.");
        q.push(format_args!(
            " and ({key}) {cmp} (select {inner_key} from participant c where c.participant_id = "
        ))
        .push_bind(after)
        .push(" and c.centre_id = ")
        .push_bind(centre_id)
        .push(")");
    }
}

/// What one page of the list or search asks for: the actor's centre and scope, the filters,
/// the search and the order.
#[derive(Clone, Copy, Debug)]
pub struct Listing<'a> {
    pub centre_id: Uuid,
    pub scope: ListScope,
    pub filter: &'a ListFilter,
    pub search: &'a Search,
    /// Whether a one-word search matches the town too.
    pub town: Town,
    pub sort: Sort,
}

/// One page of a listing.
#[derive(Debug, Clone)]
pub struct Page {
    /// At most `PAGE` rows.
    pub rows: Vec<Row>,
    /// There is a next page.
    pub more: bool,
    /// The rows in the whole listing, counted up to one more than its cap.
    pub total: i64,
}

/// Counting stops here for the list; `total` is at most one more than this.
pub const LIST_COUNT_CAP: i64 = 1000;
/// Counting stops here for a search, which should be narrowed rather than paged through.
pub const SEARCH_COUNT_CAP: i64 = 200;

impl Listing<'_> {
    /// The count's cap for this listing.
    pub fn cap(&self) -> i64 {
        if matches!(self.search, Search::None) {
            LIST_COUNT_CAP
        } else {
            SEARCH_COUNT_CAP
        }
    }

    /// Whether the count is a sum of `participant_tally` (migration 0006): the whole list of
    /// the centre or of the active participants, at most narrowed to one status.
    fn counted_by_tally(&self) -> bool {
        let ListFilter {
            status: _,
            category,
            worker,
            workshop,
            after: _,
        } = self.filter;
        matches!(self.search, Search::None)
            && matches!(self.scope, ListScope::Centre | ListScope::Active)
            && category.is_none()
            && worker.is_none()
            && workshop.is_none()
            && self.sort != Sort::Ending
    }

    /// Whether the workshop placement must be joined (a filter or the scope reads it).
    fn needs_membership(&self) -> bool {
        self.filter.workshop.is_some() || matches!(self.scope, ListScope::WorkshopsOf(_))
    }

    /// The filter without the cursor (what the count and the cursor check look at).
    fn without_cursor(&self) -> ListFilter {
        ListFilter {
            after: None,
            ..self.filter.clone()
        }
    }

    /// One page, or `None` when the cursor is a row the actor may not list (its position in
    /// the order would tell something about a participant they may not see). Usually one
    /// statement: the rows carry the count and the cursor check, and a search's audit row is
    /// written by the same statement (`audit`).
    pub async fn page(
        &self,
        conn: &mut sqlx::PgConnection,
        audit: Option<(&RequestMeta, AuditEvent<'_>)>,
    ) -> sqlx::Result<Option<Page>> {
        let mut q = QueryBuilder::<Postgres>::new("");
        if let Some((meta, event)) = audit {
            audit::push_read(&mut q, meta, event);
        }
        self.push_page(&mut q);
        let mut rows: Vec<Row> = q.build_query_as().fetch_all(&mut *conn).await?;
        let (total, visible) = match rows.first() {
            Some(first) => (first.total, first.cursor_visible),
            // An empty page of a first page: nothing to count. After a cursor: ask apart.
            None if self.filter.after.is_none() => (0, true),
            None => (
                self.count(&mut *conn).await?,
                self.cursor_visible(&mut *conn).await?,
            ),
        };
        if !visible {
            return Ok(None);
        }
        let more = rows.len() as i64 > PAGE;
        rows.truncate(PAGE as usize);
        Ok(Some(Page { rows, more, total }))
    }

    /// `select <columns>, <count>, <cursor check>`: the shared head of the page's selects.
    fn push_head(&self, q: &mut QueryBuilder<'_, Postgres>, workshop: &str) {
        q.push(format_args!(
            "select p.participant_id, p.surname, p.first_names, p.status, p.social_worker_id, \
             {workshop}.workshop_id, p.planned_end_on, p.sex::text as sex, \
             (select full_name from staff_user where staff_user_id = p.social_worker_id) as worker_name, \
             (select name from workshop where workshop_id = {workshop}.workshop_id) as workshop_name, ("
        ));
        self.push_count(q);
        q.push(") as total, (");
        self.push_cursor_visible(q);
        q.push(") as cursor_visible ");
    }

    /// At most `PAGE + 1` rows of the page, with the count and the cursor check.
    fn push_page(&self, q: &mut QueryBuilder<'_, Postgres>) {
        let name_branches = branches(self.search, self.town);
        if !name_branches.is_empty() {
            // A name search: each branch walks its own prefix range in result order and stops
            // after one page, so the cost does not grow with the number of matches.
            self.push_head(q, "p");
            q.push("from (");
            push_branches(q, &name_branches, " union all ", |q, branch, earlier| {
                q.push("(").push(ROW_COLUMNS).push(JOINS);
                push_common(q, self.centre_id, self.scope, self.filter);
                push_disjoint(q, branch, earlier);
                push_cursor(q, self.centre_id, self.filter.after, SEARCH_ORDER, ">");
                q.push(format_args!(" order by {SEARCH_ORDER} limit "))
                    .push_bind(PAGE + 1)
                    .push(")");
            });
            q.push(") p order by ")
                .push(SEARCH_ORDER)
                .push(" limit ")
                .push_bind(PAGE + 1);
            return;
        }
        self.push_head(q, "m");
        q.push("from participant p ").push(JOINS);
        push_common(q, self.centre_id, self.scope, self.filter);
        push_pesel(q, self.search);
        let (key, order, cmp) = match (self.search, self.sort) {
            (Search::Pesel(_), _) => (
                "p.pesel, p.participant_id",
                "p.pesel, p.participant_id",
                ">",
            ),
            (_, Sort::Name) => (
                "p.surname, p.first_names, p.participant_id",
                "p.surname, p.first_names, p.participant_id",
                ">",
            ),
            (_, Sort::Newest) => (
                "p.created_at, p.participant_id",
                "p.created_at desc, p.participant_id desc",
                "<",
            ),
            (_, Sort::Ending) => (
                "p.planned_end_on, p.participant_id",
                "p.planned_end_on, p.participant_id",
                ">",
            ),
        };
        if matches!(self.search, Search::None) && self.sort == Sort::Ending {
            q.push(ENDING);
        }
        push_cursor(q, self.centre_id, self.filter.after, key, cmp);
        q.push(format_args!(" order by {order} limit "))
            .push_bind(PAGE + 1);
    }

    /// `select exists (…)`: whether the cursor row belongs to what the actor is listing (scope,
    /// filters, search); true without a cursor.
    fn push_cursor_visible(&self, q: &mut QueryBuilder<'_, Postgres>) {
        let Some(after) = self.filter.after else {
            q.push("select true");
            return;
        };
        q.push("select exists (select 1 from participant p ");
        if self.needs_membership() {
            q.push(JOINS);
        }
        push_common(q, self.centre_id, self.scope, &self.without_cursor());
        push_pesel(q, self.search);
        let name_branches = branches(self.search, self.town);
        if !name_branches.is_empty() {
            q.push(" and (");
            push_branches(q, &name_branches, " or ", |q, branch, _| {
                q.push("(true");
                push_ranges(q, branch);
                q.push(")");
            });
            q.push(")");
        }
        q.push(" and p.participant_id = ")
            .push_bind(after)
            .push(")");
    }

    /// `select least(count(*), cap + 1) from (…)`: how many rows the listing has, counted up
    /// to one more than its cap (an exact count costs more than the page itself at 100,000
    /// rows).
    fn push_count(&self, q: &mut QueryBuilder<'_, Postgres>) {
        let cap = self.cap();
        if self.counted_by_tally() {
            // The centre's whole list, or one status of it: a sum of a few rows.
            q.push("select least(coalesce(sum(t.n), 0), ")
                .push_bind(cap + 1)
                .push(")::int8 from participant_tally t where t.centre_id = ")
                .push_bind(self.centre_id);
            self.filter.status.push(q, "t.status");
            if self.scope == ListScope::Active {
                q.push(" and t.status in ('trial', 'participant')");
            }
            return;
        }
        let without_cursor = self.without_cursor();
        let from = |q: &mut QueryBuilder<'_, Postgres>| {
            q.push("select p.participant_id from participant p ");
            if self.needs_membership() {
                q.push(JOINS);
            }
            push_common(q, self.centre_id, self.scope, &without_cursor);
        };
        q.push("select least(count(*), ")
            .push_bind(cap + 1)
            .push(") from (");
        let name_branches = branches(self.search, self.town);
        if name_branches.is_empty() {
            from(q);
            push_pesel(q, self.search);
            if matches!(self.search, Search::None) && self.sort == Sort::Ending {
                q.push(ENDING);
            }
            q.push(" limit ").push_bind(cap + 1);
        } else {
            push_branches(q, &name_branches, " union all ", |q, branch, earlier| {
                q.push("(");
                from(q);
                push_disjoint(q, branch, earlier);
                q.push(" limit ").push_bind(cap + 1).push(")");
            });
        }
        q.push(") counted");
    }

    async fn count(&self, db: &mut sqlx::PgConnection) -> sqlx::Result<i64> {
        let mut q = QueryBuilder::<Postgres>::new("");
        self.push_count(&mut q);
        q.build_query_scalar().fetch_one(db).await
    }

    async fn cursor_visible(&self, db: &mut sqlx::PgConnection) -> sqlx::Result<bool> {
        let mut q = QueryBuilder::<Postgres>::new("");
        self.push_cursor_visible(&mut q);
        q.build_query_scalar().fetch_one(db).await
    }
}
