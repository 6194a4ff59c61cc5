//! [`PostgresTokenVault`]: the token vault in PostgreSQL, so a token issued on one host
//! resolves on every host.
//!
//! - The schema is `migrations/0001_tokens.sql`, applied once by [`migrate`] (under an
//!   advisory lock, so hosts starting together do not race; versions are recorded in
//!   `qrpay_schema_migrations`).
//! - Issuing: [`TokenVault::insert_new`] is one `INSERT ... ON CONFLICT DO NOTHING`. The
//!   token number is the primary key and `(domain, account)` is unique, so hosts
//!   tokenising the same account at once store one row and all return its token
//!   ([`qrpay::token::Tokenizer::issue`] re-reads the number after a lost race).
//! - Resolving: [`TokenVault::consume`] locks the row (`SELECT ... FOR UPDATE`), checks the
//!   domain restriction controls with [`qrpay::token::DomainControls::check`] and counts the
//!   use in the same transaction: a token allowing `n` uses resolves `n` times at most
//!   across the fleet.
//!
//! Connections are plain TCP or Unix sockets ([`PostgresTokenVault::connect`]); for TLS,
//! open the [`postgres::Client`] with the TLS connector of your choice and pass it to
//! [`PostgresTokenVault::from_client`].

use std::cell::RefCell;
use std::time::Duration;

use postgres::error::SqlState;
use postgres::{Client, GenericClient, NoTls, Row};
use qrpay::token::{
    Account, AccountKind, Assurance, Channel, Consumed, DomainControls, Par, Token,
    TokenRequestorId, TokenVault, Usage, VaultEntry,
};

/// The migrations, in order: (version, SQL).
pub const MIGRATIONS: &[(i32, &str)] = &[(1, include_str!("../migrations/0001_tokens.sql"))];

/// Key of the advisory lock [`migrate`] holds (any fixed number; "qrpay" in ASCII).
const MIGRATION_LOCK: i64 = 0x71_72_70_61_79;

/// A PostgreSQL error without its `DETAIL`, which can quote a whole row and so an account
/// number: the SQLSTATE and the primary message only.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message}{}", .sqlstate.as_ref().map(|c| format!(" (SQLSTATE {c})")).unwrap_or_default())]
pub struct DbFailure {
    /// The SQLSTATE, when the server answered.
    pub sqlstate: Option<String>,
    /// The server's primary message, or the client's error (I/O, timeout, closed).
    pub message: String,
}

impl DbFailure {
    fn of(e: &postgres::Error) -> DbFailure {
        match e.as_db_error() {
            Some(db) => DbFailure {
                sqlstate: Some(db.code().code().to_owned()),
                message: format!("{}: {}", db.severity(), db.message()),
            },
            None => DbFailure {
                sqlstate: e.code().map(|c| c.code().to_owned()),
                message: e.to_string(),
            },
        }
    }
}

impl From<postgres::Error> for DbFailure {
    fn from(e: postgres::Error) -> DbFailure {
        DbFailure::of(&e)
    }
}

/// Why the vault could not answer. No variant carries an account number.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PgVaultError {
    /// The URL is not a PostgreSQL connection string.
    #[error("bad PostgreSQL URL: {0}")]
    Url(#[source] DbFailure),
    /// PostgreSQL could not be reached or refused the login.
    #[error("token vault unreachable: {0}")]
    Unreachable(#[source] DbFailure),
    /// A statement failed (connection lost, timeout, constraint); a failed transaction
    /// is rolled back, so nothing was counted or stored.
    #[error("token vault query failed: {0}")]
    Query(#[source] DbFailure),
    /// Applying a migration failed.
    #[error("token vault migration {version} failed: {source}")]
    Migration {
        /// The migration's version.
        version: i32,
        /// The error.
        #[source]
        source: DbFailure,
    },
    /// [`TokenVault::insert`] of a number already stored.
    #[error("the token number is already stored")]
    NumberTaken,
    /// The account already has another token in this domain (e.g. issued under an earlier
    /// tokenisation key): one account, one token per domain.
    #[error("the account already has another token in this domain")]
    AccountHasToken,
    /// [`TokenVault::record_use`] of a number not stored.
    #[error("no such token")]
    UnknownToken,
    /// A value does not fit its column (`not_after` past 2^63, `max_uses` past 2^31).
    #[error("value out of the vault's range: {0}")]
    Range(&'static str),
    /// A stored row is not a valid entry.
    #[error("corrupt token row: {0}")]
    Corrupt(&'static str),
}

/// Applies the migrations not yet applied, each in its own transaction, under an advisory
/// lock. Returns the versions it applied (empty when the schema was current).
pub fn migrate(client: &mut Client) -> Result<Vec<i32>, PgVaultError> {
    let mut applied = Vec::new();
    for &(version, sql) in MIGRATIONS {
        let fail = |e: postgres::Error| PgVaultError::Migration {
            version,
            source: e.into(),
        };
        let mut tx = client.transaction().map_err(fail)?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
            .map_err(fail)?;
        tx.batch_execute(
            "CREATE TABLE IF NOT EXISTS qrpay_schema_migrations (
                 version integer PRIMARY KEY,
                 applied_at timestamptz NOT NULL DEFAULT now())",
        )
        .map_err(fail)?;
        let done = tx
            .query_opt(
                "SELECT 1 FROM qrpay_schema_migrations WHERE version = $1",
                &[&version],
            )
            .map_err(fail)?
            .is_some();
        if !done {
            tx.batch_execute(sql).map_err(fail)?;
            tx.execute(
                "INSERT INTO qrpay_schema_migrations (version) VALUES ($1)",
                &[&version],
            )
            .map_err(fail)?;
            applied.push(version);
        }
        tx.commit().map_err(fail)?;
    }
    Ok(applied)
}

/// A [`TokenVault`] in PostgreSQL. One per thread (it holds one connection, reopened after
/// it is lost when it was opened from a URL); any number of hosts may share the database.
pub struct PostgresTokenVault {
    client: RefCell<Option<Client>>,
    config: Option<postgres::Config>,
}

impl std::fmt::Debug for PostgresTokenVault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The configuration may hold a password.
        f.debug_struct("PostgresTokenVault")
            .field("reconnects", &self.config.is_some())
            .finish_non_exhaustive()
    }
}

const COLUMNS: &str = "number, domain, account_kind, account, assurance, par, requestor, \
                       pan_last4, channels, merchants, acquirers, not_after, max_uses, uses";

impl PostgresTokenVault {
    /// Connects without TLS to `url` (`postgresql://user@host:port/db` or
    /// `host=... user=...`), with a 5-second connect timeout unless the URL sets one.
    pub fn connect(url: &str) -> Result<PostgresTokenVault, PgVaultError> {
        let mut config: postgres::Config = url
            .parse()
            .map_err(|e: postgres::Error| PgVaultError::Url(e.into()))?;
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(Duration::from_secs(5));
        }
        let client = config.connect(NoTls).map_err(unreachable)?;
        Ok(PostgresTokenVault {
            client: RefCell::new(Some(client)),
            config: Some(config),
        })
    }

    /// A vault on a client the caller opened (e.g. with TLS). It is not reopened when lost.
    pub fn from_client(client: Client) -> PostgresTokenVault {
        PostgresTokenVault {
            client: RefCell::new(Some(client)),
            config: None,
        }
    }

    /// Applies the migrations (see [`migrate`]).
    pub fn migrate(&mut self) -> Result<Vec<i32>, PgVaultError> {
        self.with(migrate)
    }

    /// Runs `f` on the connection, reopening it first when it was lost.
    fn with<T>(
        &self,
        f: impl FnOnce(&mut Client) -> Result<T, PgVaultError>,
    ) -> Result<T, PgVaultError> {
        let mut slot = self.client.borrow_mut();
        if slot.as_ref().is_none_or(Client::is_closed) {
            if let Some(config) = &self.config {
                *slot = Some(config.connect(NoTls).map_err(unreachable)?);
            }
        }
        match slot.as_mut() {
            Some(client) => f(client),
            None => Err(PgVaultError::Corrupt("no connection")),
        }
    }
}

fn query(e: postgres::Error) -> PgVaultError {
    PgVaultError::Query(e.into())
}

fn unreachable(e: postgres::Error) -> PgVaultError {
    PgVaultError::Unreachable(e.into())
}

fn kind_name(kind: AccountKind) -> &'static str {
    match kind {
        AccountKind::Pan => "pan",
        AccountKind::Id => "id",
    }
}

fn entry_of(row: &Row) -> Result<VaultEntry, PgVaultError> {
    let number: String = row.try_get("number").map_err(query)?;
    let domain: String = row.try_get("domain").map_err(query)?;
    let mut token =
        Token::restore(&number, &domain).map_err(|_| PgVaultError::Corrupt("token number"))?;
    let assurance: i16 = row.try_get("assurance").map_err(query)?;
    token.assurance = u8::try_from(assurance)
        .ok()
        .and_then(Assurance::from_code)
        .ok_or(PgVaultError::Corrupt("assurance"))?;
    let par: Option<String> = row.try_get("par").map_err(query)?;
    token.par = par
        .map(|p| Par::new(&p))
        .transpose()
        .map_err(|_| PgVaultError::Corrupt("PAR"))?;
    let requestor: Option<String> = row.try_get("requestor").map_err(query)?;
    token.requestor = requestor
        .map(|r| TokenRequestorId::new(&r))
        .transpose()
        .map_err(|_| PgVaultError::Corrupt("token requestor ID"))?;
    token.pan_last4 = row.try_get("pan_last4").map_err(query)?;
    let kind: String = row.try_get("account_kind").map_err(query)?;
    let value: String = row.try_get("account").map_err(query)?;
    let account = match kind.as_str() {
        "pan" => Account::pan(&value),
        "id" => Account::id(&value),
        _ => return Err(PgVaultError::Corrupt("account kind")),
    }
    .map_err(|_| PgVaultError::Corrupt("account"))?;
    let channels: Vec<String> = row.try_get("channels").map_err(query)?;
    let not_after: Option<i64> = row.try_get("not_after").map_err(query)?;
    let max_uses: Option<i32> = row.try_get("max_uses").map_err(query)?;
    let uses: i32 = row.try_get("uses").map_err(query)?;
    let controls = DomainControls {
        channels: channels
            .iter()
            .map(|c| Channel::parse(c).ok_or(PgVaultError::Corrupt("channel")))
            .collect::<Result<_, _>>()?,
        merchants: row.try_get("merchants").map_err(query)?,
        acquirers: row.try_get("acquirers").map_err(query)?,
        not_after: not_after
            .map(u64::try_from)
            .transpose()
            .map_err(|_| PgVaultError::Corrupt("not_after"))?,
        max_uses: max_uses
            .map(u32::try_from)
            .transpose()
            .map_err(|_| PgVaultError::Corrupt("max_uses"))?,
    };
    Ok(VaultEntry {
        token,
        account,
        controls,
        uses: u32::try_from(uses).map_err(|_| PgVaultError::Corrupt("uses"))?,
    })
}

/// `INSERT` of `entry`; `on_conflict` is appended (empty, or `ON CONFLICT DO NOTHING`).
/// Returns the rows inserted.
fn insert_row(
    client: &mut impl GenericClient,
    entry: &VaultEntry,
    on_conflict: &str,
) -> Result<u64, postgres::Error> {
    let t = &entry.token;
    let c = &entry.controls;
    let channels: Vec<&str> = c.channels.iter().map(|c| c.as_str()).collect();
    // Range checks happen before the call (see `check_range`).
    let not_after = c.not_after.and_then(|v| i64::try_from(v).ok());
    let max_uses = c.max_uses.and_then(|v| i32::try_from(v).ok());
    let uses = i32::try_from(entry.uses).unwrap_or(i32::MAX);
    let sql = format!(
        "INSERT INTO qrpay_tokens ({COLUMNS}) VALUES \
         ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) {on_conflict}"
    );
    client.execute(
        sql.as_str(),
        &[
            &t.number(),
            &t.domain,
            &kind_name(entry.account.kind()),
            &entry.account.reveal(),
            &i16::from(t.assurance.code()),
            &t.par.as_ref().map(|p| p.as_str()),
            &t.requestor.as_ref().map(|r| r.as_str()),
            &t.pan_last4,
            &channels,
            &c.merchants,
            &c.acquirers,
            &not_after,
            &max_uses,
            &uses,
        ],
    )
}

fn check_range(entry: &VaultEntry) -> Result<(), PgVaultError> {
    let c = &entry.controls;
    if c.not_after.is_some_and(|v| i64::try_from(v).is_err()) {
        return Err(PgVaultError::Range("not_after"));
    }
    if c.max_uses.is_some_and(|v| i32::try_from(v).is_err()) {
        return Err(PgVaultError::Range("max_uses"));
    }
    if i32::try_from(entry.uses).is_err() {
        return Err(PgVaultError::Range("uses"));
    }
    Ok(())
}

/// Maps a failed insert: a unique violation names the constraint that refused it.
fn insert_error(e: postgres::Error) -> PgVaultError {
    if e.code() == Some(&SqlState::UNIQUE_VIOLATION) {
        let constraint = e.as_db_error().and_then(|d| d.constraint());
        if constraint == Some("qrpay_tokens_one_per_account") {
            return PgVaultError::AccountHasToken;
        }
        return PgVaultError::NumberTaken;
    }
    query(e)
}

impl TokenVault for PostgresTokenVault {
    type Error = PgVaultError;

    fn get(&self, number: &str) -> Result<Option<VaultEntry>, PgVaultError> {
        self.with(|client| {
            let sql = format!("SELECT {COLUMNS} FROM qrpay_tokens WHERE number = $1");
            let row = client.query_opt(sql.as_str(), &[&number]).map_err(query)?;
            row.as_ref().map(entry_of).transpose()
        })
    }

    fn insert(&mut self, entry: VaultEntry) -> Result<(), PgVaultError> {
        check_range(&entry)?;
        self.with(|client| {
            insert_row(client, &entry, "")
                .map(|_| ())
                .map_err(insert_error)
        })
    }

    fn insert_new(&mut self, entry: VaultEntry) -> Result<bool, PgVaultError> {
        check_range(&entry)?;
        self.with(|client| {
            // No conflict target: a conflict on the number or on (domain, account) does
            // nothing, whichever unique index sees the concurrent insert first.
            let n = insert_row(client, &entry, "ON CONFLICT DO NOTHING").map_err(query)?;
            if n == 1 {
                return Ok(true);
            }
            // Which one? Rows are never deleted, so the conflicting row is visible now.
            let row = client
                .query_opt(
                    "SELECT number FROM qrpay_tokens WHERE number = $1",
                    &[&entry.token.number()],
                )
                .map_err(query)?;
            match row {
                Some(_) => Ok(false),
                None => Err(PgVaultError::AccountHasToken),
            }
        })
    }

    fn record_use(&mut self, number: &str) -> Result<u32, PgVaultError> {
        self.with(|client| {
            let row = client
                .query_opt(
                    "UPDATE qrpay_tokens SET uses = uses + 1, last_used_at = now() \
                     WHERE number = $1 RETURNING uses",
                    &[&number],
                )
                .map_err(query)?
                .ok_or(PgVaultError::UnknownToken)?;
            let uses: i32 = row.try_get(0).map_err(query)?;
            u32::try_from(uses).map_err(|_| PgVaultError::Corrupt("uses"))
        })
    }

    fn consume(&mut self, number: &str, usage: &Usage<'_>) -> Result<Consumed, PgVaultError> {
        self.with(|client| {
            // Dropping `tx` without commit rolls it back.
            let mut tx = client.transaction().map_err(query)?;
            let sql = format!("SELECT {COLUMNS} FROM qrpay_tokens WHERE number = $1 FOR UPDATE");
            let Some(row) = tx.query_opt(sql.as_str(), &[&number]).map_err(query)? else {
                return Ok(Consumed::Unknown);
            };
            let mut entry = entry_of(&row)?;
            if let Some(control) = entry.controls.check(usage, entry.uses) {
                return Ok(Consumed::Denied(control));
            }
            let row = tx
                .query_one(
                    "UPDATE qrpay_tokens SET uses = uses + 1, last_used_at = now() \
                     WHERE number = $1 RETURNING uses",
                    &[&number],
                )
                .map_err(query)?;
            let uses: i32 = row.try_get(0).map_err(query)?;
            tx.commit().map_err(query)?;
            entry.uses = u32::try_from(uses).map_err(|_| PgVaultError::Corrupt("uses"))?;
            Ok(Consumed::Used(entry))
        })
    }
}
