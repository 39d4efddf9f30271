//! Teczka — case management for Polish Social Integration Centres (Centrum Integracji
//! Społecznej). See README.md for the architecture in brief.

pub mod app;
pub mod audit;
pub mod auth;
pub mod cli;
pub mod clock;
pub mod config;
pub mod db;
pub mod demo;
pub mod documents;
pub mod error;
pub mod home;
pub mod participants;
pub mod telemetry;
pub mod users;
pub mod validate;
pub mod web;
