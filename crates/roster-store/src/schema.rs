//! Diesel's view of the tables in `migrations/`. Written by hand: `diesel print-schema` knows
//! neither our custom types nor the SQLite spelling of them.

diesel::table! {
    use diesel::sql_types::*;
    use crate::sql_types::{DbUuid, DbTimestamp};

    users (id) {
        id -> DbUuid,
        email -> Text,
        name -> Nullable<Text>,
        password_hash -> Nullable<Text>,
        state -> Text,
        is_admin -> Bool,
        created_at -> DbTimestamp,
        updated_at -> DbTimestamp,
        email_verified_at -> Nullable<DbTimestamp>,
        pending_email -> Nullable<Text>,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::sql_types::DbTimestamp;

    signing_keys (kid) {
        kid -> Text,
        private_key -> Binary,
        public_key -> Binary,
        created_at -> DbTimestamp,
        retired_at -> Nullable<DbTimestamp>,
        last_signed_at -> Nullable<DbTimestamp>,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::sql_types::{DbUuid, DbTimestamp};

    refresh_tokens (id) {
        id -> DbUuid,
        family_id -> DbUuid,
        user_id -> DbUuid,
        token_hash -> Binary,
        organization_id -> Nullable<DbUuid>,
        created_at -> DbTimestamp,
        expires_at -> DbTimestamp,
        used_at -> Nullable<DbTimestamp>,
        revoked_at -> Nullable<DbTimestamp>,
        grace_used_at -> Nullable<DbTimestamp>,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::sql_types::{DbUuid, DbJson, DbTimestamp};

    organizations (id) {
        id -> DbUuid,
        name -> Text,
        display_name -> Text,
        display_name_folded -> Text,
        billing_email -> Nullable<Text>,
        description -> Nullable<Text>,
        website -> Nullable<Text>,
        logo_url -> Nullable<Text>,
        address -> DbJson,
        reference -> Nullable<Text>,
        custom -> DbJson,
        state -> Text,
        personal -> Bool,
        visibility -> Text,
        max_members -> Nullable<BigInt>,
        max_api_keys -> Nullable<BigInt>,
        member_count -> BigInt,
        version -> BigInt,
        created_by -> Nullable<DbUuid>,
        created_at -> DbTimestamp,
        updated_at -> DbTimestamp,
        closed_at -> Nullable<DbTimestamp>,
        max_invitations -> Nullable<BigInt>,
        max_teams -> Nullable<BigInt>,
        max_projects -> Nullable<BigInt>,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::sql_types::{DbUuid, DbJson, DbTimestamp};

    teams (id) {
        id -> DbUuid,
        organization_id -> DbUuid,
        name -> Text,
        display_name -> Text,
        description -> Nullable<Text>,
        custom -> DbJson,
        created_at -> DbTimestamp,
        updated_at -> DbTimestamp,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::sql_types::{DbUuid, DbTimestamp};

    team_members (team_id, user_id) {
        team_id -> DbUuid,
        organization_id -> DbUuid,
        user_id -> DbUuid,
        role -> Text,
        created_at -> DbTimestamp,
        updated_at -> DbTimestamp,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::sql_types::{DbUuid, DbJson, DbTimestamp};

    projects (id) {
        id -> DbUuid,
        organization_id -> DbUuid,
        name -> Text,
        display_name -> Text,
        description -> Nullable<Text>,
        visibility -> Text,
        custom -> DbJson,
        created_at -> DbTimestamp,
        updated_at -> DbTimestamp,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::sql_types::{DbUuid, DbTimestamp};

    project_grants (project_id, team_id) {
        project_id -> DbUuid,
        team_id -> DbUuid,
        organization_id -> DbUuid,
        access -> Integer,
        created_at -> DbTimestamp,
        updated_at -> DbTimestamp,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::sql_types::{DbUuid, DbTimestamp};

    organization_former_names (name) {
        name -> Text,
        organization_id -> DbUuid,
        created_at -> DbTimestamp,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::sql_types::{DbUuid, DbJson, DbTimestamp};

    memberships (organization_id, user_id) {
        organization_id -> DbUuid,
        user_id -> DbUuid,
        role -> Text,
        permissions -> DbJson,
        expires_at -> Nullable<DbTimestamp>,
        created_at -> DbTimestamp,
        updated_at -> DbTimestamp,
        email -> Text,
        name -> Nullable<Text>,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::sql_types::{DbUuid, DbJson, DbTimestamp};

    roles (organization_id, key) {
        organization_id -> DbUuid,
        key -> Text,
        name -> Text,
        description -> Nullable<Text>,
        permissions -> DbJson,
        created_at -> DbTimestamp,
        updated_at -> DbTimestamp,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::sql_types::{DbUuid, DbTimestamp};

    invitations (id) {
        id -> DbUuid,
        organization_id -> DbUuid,
        email -> Text,
        role -> Text,
        token_hash -> Binary,
        state -> Text,
        invited_by -> Nullable<DbUuid>,
        invited_by_key -> Nullable<DbUuid>,
        expires_at -> DbTimestamp,
        created_at -> DbTimestamp,
        accepted_at -> Nullable<DbTimestamp>,
        accepted_by -> Nullable<DbUuid>,
        revoked_at -> Nullable<DbTimestamp>,
        declined_at -> Nullable<DbTimestamp>,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::sql_types::{DbUuid, DbJson, DbTimestamp};

    api_keys (id) {
        id -> DbUuid,
        organization_id -> Nullable<DbUuid>,
        user_id -> DbUuid,
        name -> Text,
        prefix -> Text,
        key_hash -> Binary,
        role -> Nullable<Text>,
        permissions -> DbJson,
        expires_at -> Nullable<DbTimestamp>,
        last_used_at -> Nullable<DbTimestamp>,
        created_at -> DbTimestamp,
        revoked_at -> Nullable<DbTimestamp>,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::sql_types::{DbJson, DbTimestamp};

    idempotency_keys (scope, key) {
        scope -> Text,
        key -> Text,
        request_hash -> Binary,
        status -> Nullable<Integer>,
        response_headers -> Nullable<DbJson>,
        response_body -> Nullable<Binary>,
        created_at -> DbTimestamp,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::sql_types::{DbUuid, DbTimestamp};

    login_failures (id) {
        id -> DbUuid,
        account -> Text,
        address -> Text,
        failed_at -> DbTimestamp,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::sql_types::{DbUuid, DbJson, DbTimestamp};

    events (id) {
        id -> DbUuid,
        position -> Nullable<BigInt>,
        stream -> DbUuid,
        sequence -> BigInt,
        #[sql_name = "type"]
        kind -> Text,
        organization_id -> Nullable<DbUuid>,
        actor_type -> Text,
        actor_id -> Nullable<DbUuid>,
        actor_email -> Nullable<Text>,
        target_type -> Text,
        target_id -> Text,
        data -> DbJson,
        request_id -> Nullable<Text>,
        ip -> Nullable<Text>,
        user_agent -> Nullable<Text>,
        created_at -> DbTimestamp,
    }
}

diesel::table! {
    event_counters (name) {
        name -> Text,
        last -> BigInt,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::sql_types::{DbUuid, DbJson, DbTimestamp};

    webhook_endpoints (id) {
        id -> DbUuid,
        url -> Text,
        description -> Nullable<Text>,
        event_types -> DbJson,
        organization_id -> Nullable<DbUuid>,
        enabled -> Bool,
        disabled_reason -> Nullable<Text>,
        secret -> Binary,
        previous_secret -> Nullable<Binary>,
        previous_secret_until -> Nullable<DbTimestamp>,
        failing_since -> Nullable<DbTimestamp>,
        created_at -> DbTimestamp,
        updated_at -> DbTimestamp,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::sql_types::{DbUuid, DbJson, DbTimestamp};

    webhook_deliveries (id) {
        id -> DbUuid,
        endpoint_id -> DbUuid,
        event_id -> Nullable<DbUuid>,
        event_type -> Text,
        payload -> Nullable<DbJson>,
        status -> Text,
        attempts -> Integer,
        next_attempt_at -> Nullable<DbTimestamp>,
        leased_by -> Nullable<DbUuid>,
        leased_until -> Nullable<DbTimestamp>,
        last_response_status -> Nullable<Integer>,
        last_error -> Nullable<Text>,
        created_at -> DbTimestamp,
        delivered_at -> Nullable<DbTimestamp>,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::sql_types::{DbUuid, DbTimestamp};

    webhook_attempts (delivery_id, number) {
        delivery_id -> DbUuid,
        number -> Integer,
        started_at -> DbTimestamp,
        duration_ms -> BigInt,
        response_status -> Nullable<Integer>,
        error -> Nullable<Text>,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::sql_types::{DbUuid, DbTimestamp};

    background_jobs (name) {
        name -> Text,
        leased_by -> Nullable<DbUuid>,
        leased_until -> Nullable<DbTimestamp>,
        last_run_at -> Nullable<DbTimestamp>,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::sql_types::{DbUuid, DbTimestamp};

    account_tokens (id) {
        id -> DbUuid,
        user_id -> DbUuid,
        purpose -> Text,
        email -> Text,
        token_hash -> Binary,
        expires_at -> DbTimestamp,
        used_at -> Nullable<DbTimestamp>,
        created_at -> DbTimestamp,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::sql_types::{DbUuid, DbTimestamp};

    mail_outbox (id) {
        id -> DbUuid,
        kind -> Text,
        recipient -> Text,
        data -> Binary,
        secret -> Nullable<Binary>,
        sealed_by -> Nullable<DbUuid>,
        token_ref -> Nullable<Text>,
        state -> Text,
        attempts -> Integer,
        next_attempt_at -> DbTimestamp,
        claimed_by -> Nullable<DbUuid>,
        claimed_until -> Nullable<DbTimestamp>,
        last_error -> Nullable<Text>,
        user_id -> Nullable<DbUuid>,
        created_at -> DbTimestamp,
        finished_at -> Nullable<DbTimestamp>,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::sql_types::{DbUuid, DbTimestamp};

    rate_hits (id) {
        id -> DbUuid,
        bucket -> Text,
        hit_at -> DbTimestamp,
    }
}

diesel::joinable!(account_tokens -> users (user_id));
diesel::joinable!(webhook_deliveries -> webhook_endpoints (endpoint_id));
diesel::joinable!(webhook_attempts -> webhook_deliveries (delivery_id));
diesel::joinable!(refresh_tokens -> users (user_id));
diesel::joinable!(organization_former_names -> organizations (organization_id));
diesel::joinable!(memberships -> organizations (organization_id));
diesel::joinable!(memberships -> users (user_id));
diesel::joinable!(roles -> organizations (organization_id));
diesel::joinable!(invitations -> organizations (organization_id));
diesel::joinable!(api_keys -> organizations (organization_id));
diesel::joinable!(api_keys -> users (user_id));
diesel::joinable!(teams -> organizations (organization_id));
diesel::joinable!(projects -> organizations (organization_id));
diesel::joinable!(team_members -> teams (team_id));
diesel::joinable!(project_grants -> projects (project_id));
diesel::joinable!(project_grants -> teams (team_id));

diesel::allow_tables_to_appear_in_same_query!(
    users,
    account_tokens,
    mail_outbox,
    rate_hits,
    signing_keys,
    refresh_tokens,
    organizations,
    organization_former_names,
    memberships,
    roles,
    invitations,
    api_keys,
    idempotency_keys,
    login_failures,
    events,
    event_counters,
    webhook_endpoints,
    webhook_deliveries,
    webhook_attempts,
    background_jobs,
    teams,
    team_members,
    projects,
    project_grants,
);
