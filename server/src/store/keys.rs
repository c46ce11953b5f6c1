//! Keys the server makes once and every instance shares (`server_keys`).

use crate::store::Store;

/// The key called `name`, made from `fresh` by whichever instance asks first.
pub async fn get_or_make(store: &Store, name: &str, fresh: &str) -> sqlx::Result<String> {
    sqlx::query("INSERT INTO server_keys (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING")
        .bind(name)
        .bind(fresh)
        .execute(&store.pool)
        .await?;
    sqlx::query_scalar("SELECT value FROM server_keys WHERE name = $1").bind(name).fetch_one(&store.pool).await
}
