import Logging
import PostgresNIO

/// The schema, as numbered migrations applied in order at start. Every node runs `apply` while it
/// holds a session advisory lock, so nodes starting together apply each migration exactly once.
/// Append new migrations; never edit one that has shipped.
///
/// Tables: `facematch_cluster` (one row: the cluster's id; its model until migration 3), `facematch_templates` (the
/// enrolments, the system of record) and `facematch_changes` (the ordered change feed: one row per
/// committed Enroll or Delete, naming the subject it touched). Writes go through the SQL functions,
/// which take one transaction-scoped advisory lock: sequence numbers are then assigned in commit
/// order, so a follower that has read up to position N has seen every change at or below N.
/// Migration 2 (`Migration2.swift`) encrypts templates under per-subject data keys; migration 3
/// (`Migration3.swift`) gives every row its model, so one cluster holds every model's templates.
enum Migrations {
    struct Migration {
        var version: Int
        var statements: [String]
    }

    static let migrationLockKey: Int64 = 7_470_000
    static let writeLockKey: Int64 = 7_470_001
    static let channel = "facematch_changes"

    static let all: [Migration] = [
        Migration(version: 1, statements: [
            """
            CREATE TABLE facematch_cluster (
                singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
                id uuid NOT NULL,
                model_id text,
                created_at timestamptz NOT NULL DEFAULT now())
            """,
            "INSERT INTO facematch_cluster (id) VALUES (gen_random_uuid())",
            """
            CREATE TABLE facematch_templates (
                namespace text NOT NULL,
                subject text NOT NULL,
                ord bigint NOT NULL,
                vector bytea NOT NULL,
                vendor_data bytea NOT NULL,
                created_at timestamptz NOT NULL DEFAULT now(),
                PRIMARY KEY (namespace, subject, ord))
            """,
            """
            CREATE TABLE facematch_changes (
                seq bigserial PRIMARY KEY,
                namespace text NOT NULL,
                subject text NOT NULL,
                committed_at timestamptz NOT NULL DEFAULT clock_timestamp())
            """,
            """
            CREATE FUNCTION facematch_enroll(p_ns text, p_subject text, p_vector bytea, p_vendor bytea,
                                             p_replace boolean, p_max integer,
                                             OUT out_seq bigint, OUT out_templates integer)
            LANGUAGE plpgsql AS $$
            DECLARE next_ord bigint;
            BEGIN
                PERFORM pg_advisory_xact_lock(\(writeLockKey));
                IF p_replace THEN
                    DELETE FROM facematch_templates WHERE namespace = p_ns AND subject = p_subject;
                END IF;
                SELECT coalesce(max(ord), 0) + 1 INTO next_ord
                    FROM facematch_templates WHERE namespace = p_ns AND subject = p_subject;
                INSERT INTO facematch_templates (namespace, subject, ord, vector, vendor_data)
                    VALUES (p_ns, p_subject, next_ord, p_vector, p_vendor);
                DELETE FROM facematch_templates
                    WHERE namespace = p_ns AND subject = p_subject AND ord <= next_ord - p_max;
                SELECT count(*) INTO out_templates
                    FROM facematch_templates WHERE namespace = p_ns AND subject = p_subject;
                INSERT INTO facematch_changes (namespace, subject) VALUES (p_ns, p_subject)
                    RETURNING seq INTO out_seq;
                PERFORM pg_notify('\(channel)', out_seq::text);
            END $$
            """,
            """
            CREATE FUNCTION facematch_delete(p_ns text, p_subject text) RETURNS bigint
            LANGUAGE plpgsql AS $$
            DECLARE removed integer; new_seq bigint;
            BEGIN
                PERFORM pg_advisory_xact_lock(\(writeLockKey));
                DELETE FROM facematch_templates WHERE namespace = p_ns AND subject = p_subject;
                GET DIAGNOSTICS removed = ROW_COUNT;
                IF removed = 0 THEN
                    RETURN NULL;
                END IF;
                INSERT INTO facematch_changes (namespace, subject) VALUES (p_ns, p_subject)
                    RETURNING seq INTO new_seq;
                PERFORM pg_notify('\(channel)', new_seq::text);
                RETURN new_seq;
            END $$
            """,
        ]),
        sealedTemplates,
        modelPerTemplate,
    ]

    /// Applies the migrations this database lacks; returns the versions applied now.
    static func apply(on connection: PostgresConnection, logger: Logger) async throws -> [Int] {
        try await connection.query("SELECT pg_advisory_lock(\(migrationLockKey))", logger: logger)
        do {
            let applied = try await pending(on: connection, logger: logger)
            try await connection.query("SELECT pg_advisory_unlock(\(migrationLockKey))", logger: logger)
            return applied
        } catch {
            _ = try? await connection.query("SELECT pg_advisory_unlock(\(migrationLockKey))", logger: logger)
            throw error
        }
    }

    private static func pending(on connection: PostgresConnection, logger: Logger) async throws -> [Int] {
        try await connection.query("""
            CREATE TABLE IF NOT EXISTS facematch_schema_migrations (
                version integer PRIMARY KEY,
                applied_at timestamptz NOT NULL DEFAULT now())
            """, logger: logger)
        var done = Set<Int>()
        for try await version in try await connection.query("SELECT version FROM facematch_schema_migrations",
                                                            logger: logger).decode(Int.self) {
            done.insert(version)
        }
        if let newest = done.max(), newest > all.last!.version {
            throw ClusterError.schema("the database has migration \(newest); this build knows up to \(all.last!.version)")
        }
        var applied: [Int] = []
        for migration in all where !done.contains(migration.version) {
            try await connection.withTransaction(logger: logger) { tx in
                for statement in migration.statements {
                    try await tx.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                try await tx.query("INSERT INTO facematch_schema_migrations (version) VALUES (\(migration.version))",
                                   logger: logger)
            }
            applied.append(migration.version)
        }
        return applied
    }
}
