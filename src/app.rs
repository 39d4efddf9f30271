//! The application: the listener, the router the server module assembles, and the serve loop
//! with graceful shutdown and periodic housekeeping.

use std::future::Future;
use std::net::SocketAddr;
use std::time::Duration;

use anyhow::Context;
use axum::Router;
use sqlx::PgPool;
use tokio::net::TcpListener;

use crate::config::Config;
use crate::state::AppState;

/// A bound, not yet running server.
pub struct App {
    listener: TcpListener,
    router: Router,
    state: AppState,
}

impl App {
    /// Binds `config.bind` and builds the router.
    pub async fn build(config: Config, db: PgPool) -> anyhow::Result<Self> {
        let listener = TcpListener::bind(config.bind)
            .await
            .with_context(|| format!("cannot listen on {} (TECZKA_BIND)", config.bind))?;
        Self::with_listener(config, db, listener)
    }

    /// Builds the app on an already bound listener.
    pub fn with_listener(
        config: Config,
        db: PgPool,
        listener: TcpListener,
    ) -> anyhow::Result<Self> {
        let state = AppState::new(config, db)?;
        let router = crate::server::router(state.clone());
        Ok(Self {
            listener,
            router,
            state,
        })
    }

    /// The address actually bound (useful with port 0).
    pub fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// The shared state (tests move its clock).
    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Serves until `shutdown` resolves, then lets in-flight requests finish.
    pub async fn run_until_stopped(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        let housekeeping = tokio::spawn(housekeeping(self.state.clone()));
        let sealing = tokio::spawn(sealing(self.state.clone()));
        let service = self
            .router
            .into_make_service_with_connect_info::<SocketAddr>();
        let result = axum::serve(self.listener, service)
            .with_graceful_shutdown(shutdown)
            .await;
        housekeeping.abort();
        sealing.abort();
        result
    }
}

/// Periodic clean-up: expired sessions, stale login counters, idle rate-limit buckets; and once
/// a day (the first tick of each Polish day) the retention scan.
async fn housekeeping(state: AppState) {
    let mut tick = tokio::time::interval(Duration::from_secs(300));
    let mut scanned_on = None;
    loop {
        tick.tick().await;
        let today = state.today();
        if scanned_on != Some(today) {
            match crate::retention::scan::scan_all(&state.db, today).await {
                Ok(_) => scanned_on = Some(today),
                Err(e) => {
                    tracing::warn!(error = %e, "retention scan failed; retried at the next tick")
                }
            }
        }
        state.login_limiter.prune();
        state.export_limiter.prune();
        let now = state.clock.now();
        let idle_cutoff = now - state.config.session_idle;
        let absolute_cutoff = now - state.config.session_absolute;
        if let Err(e) =
            crate::auth::session::delete_expired(&state.db, idle_cutoff, absolute_cutoff).await
        {
            tracing::warn!(error = %e, "could not delete expired sessions");
        }
        if let Err(e) = forget_old_failures(&state, now).await {
            tracing::warn!(error = %e, "could not prune login counters");
        }
    }
}

/// Drops the login counters that lock nothing any more, naming no centre: what it deletes is in
/// no work list, so no centre's kept lists need reading again (migration 0041).
async fn forget_old_failures(state: &AppState, now: time::OffsetDateTime) -> sqlx::Result<()> {
    let mut tx = state.db.begin().await?;
    crate::db::rls::enter(&mut tx, crate::db::rls::NO_CENTRE).await?;
    crate::auth::throttle::forget_old_failures(&mut *tx, now).await?;
    tx.commit().await
}

/// Seals the audit log every few seconds, off the request path (audit::seal). Aborted between
/// batches or inside one, nothing is lost: a batch is one transaction, and the next run seals
/// what is left.
async fn sealing(state: AppState) {
    let mut tick = tokio::time::interval(crate::audit::seal::EVERY);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        if let Err(e) =
            crate::audit::seal::seal_pending(&state.db, crate::audit::seal::SETTLE).await
        {
            tracing::warn!(error = %e, "could not seal the audit log");
        }
    }
}

/// Resolves on SIGINT (Ctrl-C) or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutdown signal received; finishing in-flight requests");
}
