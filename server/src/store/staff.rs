//! Staff accounts (`staff_accounts`); their lock columns are `locks`'.

use crate::store::Store;

#[derive(Debug, sqlx::FromRow)]
pub struct StaffRow {
    pub id: i64,
    pub name: String,
    pub password_hash: String,
}

pub async fn by_email(store: &Store, email: &str) -> sqlx::Result<Option<StaffRow>> {
    sqlx::query_as("SELECT id, name, password_hash FROM staff_accounts WHERE email = $1").bind(email).fetch_optional(&store.pool).await
}

pub async fn name_of(store: &Store, id: i64) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar("SELECT name FROM staff_accounts WHERE id = $1").bind(id).fetch_optional(&store.pool).await
}

pub async fn insert(store: &Store, email: &str, name: &str, password_hash: &str, now: i64) -> sqlx::Result<()> {
    sqlx::query("INSERT INTO staff_accounts (email, name, password_hash, created_at) VALUES ($1, $2, $3, $4)")
        .bind(email)
        .bind(name)
        .bind(password_hash)
        .bind(now)
        .execute(&store.pool)
        .await?;
    Ok(())
}
