//! The database: SQLite (default) or PostgreSQL behind one `sqlx::AnyPool`,
//! so the same queries serve both. Times are Unix seconds.

use std::str::FromStr;

use anyhow::Context;
use sqlx::any::{AnyPoolOptions, AnyConnectOptions};
use sqlx::{AnyPool, ConnectOptions};

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Sqlite,
    Postgres,
}

#[derive(Clone)]
pub struct Store {
    pub pool: AnyPool,
    pub dialect: Dialect,
}

pub type Tx = sqlx::Transaction<'static, sqlx::Any>;

impl Store {
    /// Connects to `url` (`sqlite://path` or `postgres://...`), creating a
    /// SQLite file and its folder when missing.
    pub async fn connect(url: &str) -> anyhow::Result<Store> {
        sqlx::any::install_default_drivers();
        let dialect = if url.starts_with("sqlite:") {
            Dialect::Sqlite
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Dialect::Postgres
        } else {
            anyhow::bail!("DATABASE_URL must start with sqlite:// or postgres://");
        };
        let pool = match dialect {
            Dialect::Sqlite => {
                let parsed = sqlx::sqlite::SqliteConnectOptions::from_str(url)
                    .context("DATABASE_URL is not a valid SQLite URL")?;
                if let Some(dir) = parsed.get_filename().parent() {
                    if !dir.as_os_str().is_empty() {
                        std::fs::create_dir_all(dir)
                            .with_context(|| format!("creating the data folder {}", dir.display()))?;
                    }
                }
                // The Any driver reads only the URL: ask it to create the file.
                let mut any_url = url::Url::parse(url).context("DATABASE_URL")?;
                if !any_url.query_pairs().any(|(k, _)| k == "mode") {
                    any_url.query_pairs_mut().append_pair("mode", "rwc");
                }
                let opts = AnyConnectOptions::from_str(any_url.as_str())
                    .context("DATABASE_URL")?
                    .log_statements(tracing::log::LevelFilter::Trace);
                AnyPoolOptions::new()
                    .max_connections(4)
                    .after_connect(|conn, _| {
                        Box::pin(async move {
                            sqlx::raw_sql(
                                "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; \
                                 PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000;",
                            )
                            .execute(conn)
                            .await
                            .map(|_| ())
                        })
                    })
                    .connect_with(opts)
                    .await
            }
            Dialect::Postgres => {
                let opts = AnyConnectOptions::from_str(url)
                    .context("DATABASE_URL is not a valid PostgreSQL URL")?
                    .log_statements(tracing::log::LevelFilter::Trace);
                AnyPoolOptions::new().max_connections(10).connect_with(opts).await
            }
        }
        .context("connecting to the database named by DATABASE_URL")?;
        Ok(Store { pool, dialect })
    }

    pub async fn migrate(&self) -> anyhow::Result<()> {
        let migrator = match self.dialect {
            Dialect::Sqlite => &SQLITE_MIGRATIONS,
            Dialect::Postgres => &POSTGRES_MIGRATIONS,
        };
        migrator.run(&self.pool).await.context("applying database migrations")
    }

    /// A transaction that will write: on SQLite it takes the write lock at
    /// once (`BEGIN IMMEDIATE`), so two writers queue instead of failing.
    pub async fn begin_write(&self) -> sqlx::Result<Tx> {
        match self.dialect {
            Dialect::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await,
            Dialect::Postgres => self.pool.begin().await,
        }
    }

    /// `" FOR UPDATE"` where the database has row locks (PostgreSQL); SQLite's
    /// write transaction already excludes other writers.
    pub fn for_update(&self) -> &'static str {
        match self.dialect {
            Dialect::Sqlite => "",
            Dialect::Postgres => " FOR UPDATE",
        }
    }

    pub async fn ping(&self) -> bool {
        sqlx::query("SELECT 1").execute(&self.pool).await.is_ok()
    }
}

pub fn now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

/// Today's date in UTC, for validating dates of birth.
pub fn today() -> app::dob::Ymd {
    let d = time::OffsetDateTime::now_utc().date();
    app::dob::Ymd { year: d.year() as u16, month: u8::from(d.month()), day: d.day() }
}
