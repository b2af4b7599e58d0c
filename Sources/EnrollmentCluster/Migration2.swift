/// Migration 2: templates encrypted at rest, erasure reaching the keys, retention.
///
/// - `facematch_data_keys(namespace, subject, wrapped_key, master_key_id)`: one data key per
///   enrolled subject, wrapped by the master key whose id is `master_key_id` (the id is also inside
///   `wrapped_key`; the column lets rotation and the start check count keys per master key).
/// - `facematch_templates.vector` now holds a `SealedTemplate` (version byte, nonce, ciphertext,
///   tag: 541 bytes for 128 values) where `sealed` is true. Rows written by migration 1 keep their
///   plaintext with `sealed` false until a node encrypts them at start (`PlaintextMigration`).
///   `sealed` has no default, so every writer must say what it writes.
/// - `facematch_enroll` takes the sealed vector and the subject's wrapped data key: it stores the
///   key when the subject has none (a new subject, or any `--replace`, which also replaces the key
///   so replaced templates in old backups die with the old key) and refuses with SQLSTATE FMK01
///   when the key is not the one the node sealed under (a concurrent first enrolment, Delete or
///   rotation): the node then reads the key again and retries.
/// - `facematch_delete` removes the subject's templates and its data key in one transaction.
/// - `facematch_erase_templates(namespace, before)` (retention) removes the namespace's templates
///   created before a time, the data keys of subjects left with none, and appends one change per
///   touched subject so followers drop them too.
extension Migrations {
    static let keyConflictState = "FMK01"

    static let sealedTemplates = Migration(version: 2, statements: [
        """
        CREATE TABLE facematch_data_keys (
            namespace text NOT NULL,
            subject text NOT NULL,
            wrapped_key bytea NOT NULL,
            master_key_id bytea NOT NULL,
            created_at timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (namespace, subject))
        """,
        "ALTER TABLE facematch_templates ADD COLUMN sealed boolean NOT NULL DEFAULT false",
        "ALTER TABLE facematch_templates ALTER COLUMN sealed DROP DEFAULT",
        "CREATE INDEX facematch_templates_created ON facematch_templates (namespace, created_at)",
        "DROP FUNCTION facematch_enroll(text, text, bytea, bytea, boolean, integer)",
        """
        CREATE FUNCTION facematch_enroll(p_ns text, p_subject text, p_sealed bytea, p_vendor bytea,
                                         p_replace boolean, p_max integer,
                                         p_wrapped_key bytea, p_master_key_id bytea, p_new_key boolean,
                                         OUT out_seq bigint, OUT out_templates integer)
        LANGUAGE plpgsql AS $$
        DECLARE next_ord bigint; current_key bytea;
        BEGIN
            PERFORM pg_advisory_xact_lock(\(writeLockKey));
            IF p_replace THEN
                DELETE FROM facematch_templates WHERE namespace = p_ns AND subject = p_subject;
                DELETE FROM facematch_data_keys WHERE namespace = p_ns AND subject = p_subject;
            END IF;
            SELECT wrapped_key INTO current_key FROM facematch_data_keys WHERE namespace = p_ns AND subject = p_subject;
            IF p_new_key AND current_key IS NULL THEN
                INSERT INTO facematch_data_keys (namespace, subject, wrapped_key, master_key_id)
                    VALUES (p_ns, p_subject, p_wrapped_key, p_master_key_id);
            ELSIF p_new_key OR current_key IS DISTINCT FROM p_wrapped_key THEN
                RAISE EXCEPTION 'the data key of the subject changed meanwhile' USING ERRCODE = '\(keyConflictState)';
            END IF;
            SELECT coalesce(max(ord), 0) + 1 INTO next_ord
                FROM facematch_templates WHERE namespace = p_ns AND subject = p_subject;
            INSERT INTO facematch_templates (namespace, subject, ord, vector, vendor_data, sealed)
                VALUES (p_ns, p_subject, next_ord, p_sealed, p_vendor, true);
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
        CREATE OR REPLACE FUNCTION facematch_delete(p_ns text, p_subject text) RETURNS bigint
        LANGUAGE plpgsql AS $$
        DECLARE removed integer; new_seq bigint;
        BEGIN
            PERFORM pg_advisory_xact_lock(\(writeLockKey));
            DELETE FROM facematch_templates WHERE namespace = p_ns AND subject = p_subject;
            GET DIAGNOSTICS removed = ROW_COUNT;
            DELETE FROM facematch_data_keys WHERE namespace = p_ns AND subject = p_subject;
            IF removed = 0 THEN
                RETURN NULL;
            END IF;
            INSERT INTO facematch_changes (namespace, subject) VALUES (p_ns, p_subject)
                RETURNING seq INTO new_seq;
            PERFORM pg_notify('\(channel)', new_seq::text);
            RETURN new_seq;
        END $$
        """,
        """
        CREATE FUNCTION facematch_erase_templates(p_ns text, p_before timestamptz,
                                                  OUT out_erased integer, OUT out_seq bigint)
        LANGUAGE plpgsql AS $$
        DECLARE touched text[];
        BEGIN
            PERFORM pg_advisory_xact_lock(\(writeLockKey));
            WITH gone AS (DELETE FROM facematch_templates WHERE namespace = p_ns AND created_at < p_before
                          RETURNING subject)
            SELECT count(*), array_agg(DISTINCT subject) INTO out_erased, touched FROM gone;
            IF out_erased = 0 THEN
                RETURN;
            END IF;
            DELETE FROM facematch_data_keys k WHERE k.namespace = p_ns AND k.subject = ANY (touched)
                AND NOT EXISTS (SELECT 1 FROM facematch_templates t WHERE t.namespace = p_ns AND t.subject = k.subject);
            INSERT INTO facematch_changes (namespace, subject) SELECT p_ns, s FROM unnest(touched) AS s ORDER BY s;
            SELECT max(seq) INTO out_seq FROM facematch_changes;
            PERFORM pg_notify('\(channel)', out_seq::text);
        END $$
        """,
    ])
}
