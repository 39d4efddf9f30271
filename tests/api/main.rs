#![allow(clippy::unwrap_used, reason = "a failing unwrap is a failing test")]
//! Integration tests: the real router against a real PostgreSQL (one private cluster per test
//! run, a fresh database per test cloned from a migrated template).

mod helpers;
mod webdriver;

mod authz_workshops;

mod admin;
mod annual_report;
mod annual_report_files;
mod attendance;
mod audit_chain;
mod audit_reports;
mod audit_search;
mod auth;
mod authz_annual;
mod authz_attendance;
mod authz_audit;
mod authz_benefits;
mod authz_follow_ups;
mod authz_matrix;
mod authz_reports;
mod authz_retention;
mod authz_subject_access;
mod benefit_rules;
mod benefits;
mod binary;
mod browser;
mod browser_annual;
mod browser_attendance;
mod browser_audit;
mod browser_follow_ups;
mod browser_reports;
mod browser_retention;
mod browser_subject_access;
mod contracts;
mod csrf;
mod documents;
mod errors;
mod exports;
mod follow_ups;
mod follow_ups_changes;
mod follow_ups_rules;
mod guard_rails;
mod health;
mod home;
mod inbox_bounds;
mod inbox_roles;
mod ipzs;
mod layout;
mod list;
mod notes;
mod opinions;
mod participants;
mod password;
mod print;
mod reassign;
mod rectification;
mod reports;
mod reports_suppression;
mod resilience;
mod retention;
mod scenario;
mod staff_log;
mod subject_access;
mod workshops;
