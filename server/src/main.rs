//! `portal`: the server binary and its command line (SPEC §6).

use std::io::BufRead;
use std::net::SocketAddr;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context;
use app::dob::DateOfBirth;
use app::email::EmailAddress;
use app::phone::MobileNumber;
use clap::{Parser, Subcommand};
use server::client::ClientMeta;
use server::config::{Config, Mode};
use server::enrollment::invite;
use server::patients::{self, NewPatient};
use server::{audit, demo, outbox, sessions, staff, Services};

#[derive(Parser)]
#[command(name = "portal", about = "The patient portal's front door", version)]
struct Cli {
    #[command(flatten)]
    config: Config,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Migrate, then serve (the default).
    Serve,
    /// Apply migrations and exit.
    Migrate,
    /// Staff accounts.
    #[command(subcommand)]
    Staff(StaffCommand),
    /// Patient charts.
    #[command(subcommand)]
    Patient(PatientCommand),
    /// Invite a chart to the portal: queues the email, prints the registration link.
    Invite {
        #[arg(long)]
        patient: app::ids::PatientId,
        /// The address to invite (default: the chart's).
        #[arg(long)]
        email: Option<String>,
    },
    /// The access code of the chart's newest open invitation (to --email, when given).
    AccessCode {
        #[arg(long)]
        patient: app::ids::PatientId,
        #[arg(long)]
        email: Option<String>,
    },
    /// Invite a family member or caregiver to a chart; prints the registration link.
    Grant {
        #[arg(long)]
        patient: app::ids::PatientId,
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        /// parent, spouse, adult-child, caregiver or other.
        #[arg(long)]
        relationship: String,
    },
    /// Demo staff and patients in every state (idempotent).
    Demo,
    /// The dev outbox: every message queued, newest last (not in production mode).
    Outbox {
        /// Print the JSON of `GET /dev/outbox`.
        #[arg(long)]
        json: bool,
    },
    /// The audit log.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Seal again, under PORTAL_SECRET_KEY, every stored value an old key
    /// (PORTAL_OLD_SECRET_KEYS) sealed: authenticator secrets, waiting
    /// messages, access codes.
    Rekey,
    /// Write brotli and gzip copies of the site's pkg files (after each build;
    /// scripts/setup.sh runs it). Needs no database.
    Precompress,
}

#[derive(Subcommand)]
enum StaffCommand {
    /// Create a staff account; the password is read from stdin.
    Add {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
    },
    /// Every staff account: email, name, active or disabled, authenticator, lock.
    List,
    /// No more sign-ins; ends the staff member's sessions.
    Disable {
        #[arg(long)]
        email: String,
    },
    Enable {
        #[arg(long)]
        email: String,
    },
    /// Clears the lock left by failed passwords or codes.
    Unlock {
        #[arg(long)]
        email: String,
    },
    /// Forgets the authenticator app: the next sign-in sets up a new one.
    ResetMfa {
        #[arg(long)]
        email: String,
    },
}

#[derive(Subcommand)]
enum PatientCommand {
    /// Create a chart; prints the new patient id alone on stdout.
    Add {
        #[arg(long)]
        first: String,
        #[arg(long)]
        last: String,
        /// YYYYMMDD
        #[arg(long)]
        dob: String,
        #[arg(long)]
        email: Option<String>,
        #[arg(long)]
        phone: Option<String>,
        /// The patient's language for messages until they choose one: en or es.
        #[arg(long, default_value = "en")]
        language: String,
    },
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Check the MAC chain: exit 0 when intact, else 1 and "broken at entry {id}".
    Verify {
        /// `ID:MAC` as `portal audit head` printed it earlier: the chain must still hold it.
        #[arg(long)]
        head: Option<server::audit::Head>,
        /// Pass a chain that starts with entries from before it was keyed
        /// (hashed without the key: anyone who can write the database could
        /// have rewritten them); without it they fail the check.
        #[arg(long)]
        allow_legacy: bool,
    },
    /// Print the newest entry's id and MAC as `ID:MAC`, for an operator to keep elsewhere.
    Head,
}

fn init_logs(format: server::config::LogFormat) {
    let filter = tracing_subscriber::EnvFilter::try_from_env("RUST_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn"));
    let logs = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    match format {
        server::config::LogFormat::Text => logs.init(),
        server::config::LogFormat::Json => logs.json().init(),
    }
}

async fn serve(services: std::sync::Arc<Services>) -> anyhow::Result<()> {
    let conf = leptos::config::get_configuration(None).context("LEPTOS_SITE_ADDR / LEPTOS_SITE_ROOT")?;
    let addr: SocketAddr = conf.leptos_options.site_addr;
    for dir in server::http::assets::compressed_dirs(&conf.leptos_options) {
        match server::http::assets::stale(&dir) {
            Ok(stale) if stale.is_empty() => {}
            Ok(stale) => tracing::warn!(files = stale.len(), dir = %dir.display(), "files go out uncompressed until `portal precompress` runs"),
            Err(e) => tracing::warn!(error = %e, dir = %dir.display(), "no such folder (LEPTOS_SITE_ROOT)"),
        }
    }
    let app = server::http::router(services.clone(), conf.leptos_options);
    // Live delivery, or an error naming the missing or refused setting.
    let (stop_worker, stop) = tokio::sync::watch::channel(false);
    let worker = server::delivery::worker::Worker::spawn_until(&services, stop)?;

    let sweeper = services.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(60));
        loop {
            tick.tick().await;
            sweeper.throttle.forget_idle();
            sweeper.throttle.forget_old().await;
            if let Err(e) = sessions::sweep(&sweeper.store, sweeper.config.session_rules(), sweeper.clock.now()).await {
                tracing::warn!(error = %e, "session sweep failed");
            }
            // Every /login visit with JavaScript opens a passkey ceremony (the autofill's offer).
            if let Err(e) = server::store::passkeys::sweep_ceremonies(&sweeper.store, sweeper.clock.now()).await {
                tracing::warn!(error = %e, "passkey ceremony sweep failed");
            }
            if let Err(e) = server::two_step::send_cap::sweep(&sweeper.store, sweeper.clock.now()).await {
                tracing::warn!(error = %e, "two-step send sweep failed");
            }
            if let Err(e) = server::recovery::reset::sweep_hourly_emails(&sweeper.store, sweeper.clock.now()).await {
                tracing::warn!(error = %e, "recovery email sweep failed");
            }
            if let Err(e) = server::two_step::second_step::sweep(&sweeper.store, sweeper.clock.now()).await {
                tracing::warn!(error = %e, "second step sweep failed");
            }
            // A parent's access ends on the child's 18th birthday (every read checks the day as well).
            match server::family::sweep_turned_18(&sweeper).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(grants = n, "ended parent access at the patient's 18th birthday"),
                Err(e) => tracing::warn!(error = %e, "turned-18 sweep failed"),
            }
        }
    });

    let listener = tokio::net::TcpListener::bind(addr).await.with_context(|| format!("listening on {addr} (LEPTOS_SITE_ADDR)"))?;
    tracing::info!("listening on http://{addr}");
    axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(shutdown_signal())
        .await?;
    // Requests in flight have finished; now the delivery worker finishes its batch and releases its leases.
    let _ = stop_worker.send(true);
    if let Some(worker) = worker {
        let limit = server::delivery::worker::Worker::drain_limit(&services);
        if tokio::time::timeout(limit, worker).await.is_err() {
            tracing::warn!("the delivery worker did not stop in time; its messages go out again after their lease");
        }
    }
    tracing::info!("stopped");
    Ok(())
}

/// Ctrl-C or SIGTERM (what service managers and test runners send).
async fn shutdown_signal() {
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = term => {}
    }
    tracing::info!("shutting down");
}

fn parse<T, E: std::fmt::Display>(flag: &str, r: Result<T, E>) -> anyhow::Result<T> {
    r.map_err(|e| anyhow::anyhow!("{flag}: {e}"))
}

async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    if let Some(Command::Precompress) = cli.command {
        let conf = leptos::config::get_configuration(None).context("LEPTOS_SITE_ROOT")?;
        // The pkg files, and the scripts at the site's root (passkeys.js, language.js).
        for dir in server::http::assets::compressed_dirs(&conf.leptos_options) {
            let n = server::http::assets::precompress(&dir).with_context(|| format!("compressing {}", dir.display()))?;
            eprintln!("{n} files compressed in {}", dir.display());
        }
        return Ok(ExitCode::SUCCESS);
    }
    let services = Services::start(cli.config).await?;
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(services).await?,
        Command::Migrate => eprintln!("migrations applied"),
        Command::Staff(StaffCommand::Add { email, name }) => {
            let mut password = String::new();
            std::io::stdin().lock().read_line(&mut password).context("reading the password from stdin")?;
            let password = password.trim_end_matches(['\r', '\n']);
            if !staff::add_if_missing(&services, &email, &name, password).await? {
                anyhow::bail!("a staff account for {email} already exists");
            }
        }
        Command::Staff(StaffCommand::List) => {
            for line in staff::list(&services).await? {
                println!("{line}");
            }
        }
        Command::Staff(StaffCommand::Disable { email }) => staff::manage(&services, &email, staff::Manage::Disable).await?,
        Command::Staff(StaffCommand::Enable { email }) => staff::manage(&services, &email, staff::Manage::Enable).await?,
        Command::Staff(StaffCommand::Unlock { email }) => staff::manage(&services, &email, staff::Manage::Unlock).await?,
        Command::Staff(StaffCommand::ResetMfa { email }) => staff::manage(&services, &email, staff::Manage::ResetMfa).await?,
        Command::Patient(PatientCommand::Add { first, last, dob, email, phone, language }) => {
            let p = NewPatient {
                first_name: first,
                last_name: last,
                dob: parse("--dob", DateOfBirth::parse(&dob, services.clock.today()))?,
                email: email.map(|e| parse("--email", EmailAddress::parse(&e))).transpose()?,
                mobile: phone.map(|p| parse("--phone", MobileNumber::parse(&p))).transpose()?,
                language: parse("--language", app::i18n::Lang::try_from(language).map_err(|_| "use en (English) or es (Spanish)"))?,
            };
            println!("{}", patients::add_patient(&services, p, &ClientMeta::cli()).await?);
        }
        Command::Invite { patient, email } => {
            let email = email.map(|e| parse("--email", EmailAddress::parse(&e))).transpose()?;
            let invited = invite::invite(&services, patient, invite::Invitee::Own(email.as_ref()), server::audit::Actor::Cli, &ClientMeta::cli()).await?;
            println!("{}", invited.link);
        }
        Command::AccessCode { patient, email } => {
            let email = email.map(|e| parse("--email", EmailAddress::parse(&e))).transpose()?;
            match invite::open_code(&services, patient, email.as_ref(), false).await? {
                Some(code) => println!("{}", code.expose()),
                None => anyhow::bail!("patient {patient} has no open invitation{}", email.map(|e| format!(" to {}", e.as_str())).unwrap_or_default()),
            }
        }
        Command::Grant { patient, email, name, relationship } => {
            let email = parse("--email", EmailAddress::parse(&email))?;
            let relation = parse("--relationship", app::family::Relation::parse(&relationship).ok_or("use parent, spouse, adult-child, caregiver or other"))?;
            let invitee = invite::Invitee::Family { email: &email, name: &name, relation };
            let invited = invite::invite(&services, patient, invitee, server::audit::Actor::Cli, &ClientMeta::cli()).await?;
            println!("{}", invited.link);
        }
        Command::Demo => {
            if services.config.mode == Mode::Production {
                anyhow::bail!("`portal demo` is refused in production mode (PORTAL_MODE=production): its staff password is in the README");
            }
            demo::run(&services).await?;
            eprintln!("demo data ready");
        }
        Command::Outbox { json } => {
            if !services.config.keeps_dev_outbox() {
                anyhow::bail!("the dev outbox is on only in development (PORTAL_MODE) with outbox delivery (PORTAL_DELIVERY=outbox)");
            }
            let messages = outbox::all(&services.store, &services.bodies).await?;
            if json {
                println!("{}", serde_json::to_string_pretty(&messages)?);
            }
            for m in messages.iter().filter(|_| !json) {
                println!("#{} {} {} to {}: {}\n{}\n", m.id, m.created_at, m.channel, m.to, m.subject, m.body);
            }
        }
        Command::Audit(AuditCommand::Verify { head, allow_legacy }) => {
            let verdict = services.audit.verify(&services.store, head.as_ref()).await?;
            let (said, passed) = verdict.report(allow_legacy);
            println!("{said}");
            if !passed {
                return Ok(ExitCode::from(1));
            }
        }
        Command::Audit(AuditCommand::Head) => match audit::head(&services.store).await? {
            Some(head) => println!("{head}"),
            None => anyhow::bail!("the audit log has no keyed entry yet"),
        },
        Command::Rekey => {
            let done = server::rekey::rekey(&services).await?;
            println!("re-sealed {} values under the current key", done.resealed);
            if done.unopenable > 0 {
                println!("{} values open with no key given (PORTAL_SECRET_KEY, PORTAL_OLD_SECRET_KEYS): left as they are", done.unopenable);
                return Ok(ExitCode::from(1));
            }
        }
        Command::Precompress => {} // done above: it needs no database
    }
    Ok(ExitCode::SUCCESS)
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logs(cli.config.log_format);
    match run(cli).await {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}
