//! Teczka — case management for Polish Social Integration Centres (Centrum Integracji
//! Społecznej). See README.md for the architecture in brief.
//!
//! Layers, each importing only from those below it: the entry (`main`, `cli`) → `app` →
//! `server` (the route registry and layer stack) → the areas (`account`, `users`,
//! `participants`, `opinions`, `follow_ups`, `settings`, `workshops`, `reports`, `home`) → the kit (`web`, `documents`) → `auth` (sessions, the
//! policy) → `audit` → `state` → the ground floor (`domain`, `validate`, `security`, `db`,
//! `error`, `config`, `clock`, `telemetry`).

pub mod account;
pub mod app;
pub mod attendance;
pub mod audit;
pub mod auth;
pub mod backup;
pub mod benefits;
pub mod cli;
pub mod clock;
pub mod config;
pub mod contracts;
pub mod data_protection;
pub mod db;
pub mod demo;
pub mod documents;
pub mod domain;
pub mod error;
pub mod follow_ups;
pub mod home;
pub mod ipzs;
pub mod opinions;
pub mod participants;
pub mod reports;
pub mod retention;
pub mod security;
pub mod server;
pub mod settings;
pub mod state;
pub mod subject_access;
pub mod telemetry;
pub mod users;
pub mod validate;
pub mod web;
pub mod workshops;
