/// Migration 3: every model's templates in one cluster. A subject may hold templates of several
/// models; each model's are a separate enrolment, as in the local stores (`LocalStoreLayout`).
///
/// - `model` (the `FaceModelID` raw value) joins `facematch_templates`, `facematch_data_keys` and
///   `facematch_changes`, and the primary keys: a template is (model, namespace, subject, ord) and a
///   data key (model, namespace, subject), so append limits, `--replace` (which also replaces the
///   key), Delete and retention act on one model's templates and key at a time. The model leads
///   the keys, so one model's rows are one range of each (a cache rebuild, rotation's key pages).
/// - Rows written before take the model the cluster had claimed (`facematch_cluster.model_id`,
///   dlib's for every database a service node wrote, whose sealed templates are bound to it), as a
///   column default, so no row is rewritten; the defaults are then dropped so every writer names
///   its model. `facematch_cluster.model_id` goes: nodes no longer claim a database for one model.
/// - Each node runs one follower per model, reading `WHERE model = ... AND seq > position`
///   (the `facematch_changes_model` index). Positions stay one sequence for the whole cluster, so a
///   follower that has read its model's changes up to N has seen every change of that model up to N.
/// - The three write functions take the model (`p_model`); their versions of migration 2 are dropped,
///   so a node of the previous version still running can no longer write: upgrade every node.
extension Migrations {
    static let modelPerTemplate = Migration(version: 3, statements: [
        """
        DO $$
        DECLARE claimed text := coalesce((SELECT model_id FROM facematch_cluster), 'dlib_face_recognition_resnet_model_v1');
        BEGIN
            EXECUTE format('ALTER TABLE facematch_templates ADD COLUMN model text NOT NULL DEFAULT %L', claimed);
            EXECUTE format('ALTER TABLE facematch_data_keys ADD COLUMN model text NOT NULL DEFAULT %L', claimed);
            EXECUTE format('ALTER TABLE facematch_changes ADD COLUMN model text NOT NULL DEFAULT %L', claimed);
        END $$
        """,
        "ALTER TABLE facematch_templates ALTER COLUMN model DROP DEFAULT",
        "ALTER TABLE facematch_data_keys ALTER COLUMN model DROP DEFAULT",
        "ALTER TABLE facematch_changes ALTER COLUMN model DROP DEFAULT",
        "ALTER TABLE facematch_templates DROP CONSTRAINT facematch_templates_pkey, ADD PRIMARY KEY (model, namespace, subject, ord)",
        "ALTER TABLE facematch_data_keys DROP CONSTRAINT facematch_data_keys_pkey, ADD PRIMARY KEY (model, namespace, subject)",
        "CREATE INDEX facematch_changes_model ON facematch_changes (model, seq)",
        "ALTER TABLE facematch_cluster DROP COLUMN model_id",
        "DROP FUNCTION facematch_enroll(text, text, bytea, bytea, boolean, integer, bytea, bytea, boolean)",
        "DROP FUNCTION facematch_delete(text, text)",
        "DROP FUNCTION facematch_erase_templates(text, timestamptz)",
        """
        CREATE FUNCTION facematch_enroll(p_ns text, p_subject text, p_model text, p_sealed bytea, p_vendor bytea,
                                         p_replace boolean, p_max integer,
                                         p_wrapped_key bytea, p_master_key_id bytea, p_new_key boolean,
                                         OUT out_seq bigint, OUT out_templates integer)
        LANGUAGE plpgsql AS $$
        DECLARE next_ord bigint; current_key bytea;
        BEGIN
            PERFORM pg_advisory_xact_lock(\(writeLockKey));
            IF p_replace THEN
                DELETE FROM facematch_templates WHERE namespace = p_ns AND subject = p_subject AND model = p_model;
                DELETE FROM facematch_data_keys WHERE namespace = p_ns AND subject = p_subject AND model = p_model;
            END IF;
            SELECT wrapped_key INTO current_key FROM facematch_data_keys
                WHERE namespace = p_ns AND subject = p_subject AND model = p_model;
            IF p_new_key AND current_key IS NULL THEN
                INSERT INTO facematch_data_keys (namespace, subject, model, wrapped_key, master_key_id)
                    VALUES (p_ns, p_subject, p_model, p_wrapped_key, p_master_key_id);
            ELSIF p_new_key OR current_key IS DISTINCT FROM p_wrapped_key THEN
                RAISE EXCEPTION 'the data key of the subject changed meanwhile' USING ERRCODE = '\(keyConflictState)';
            END IF;
            SELECT coalesce(max(ord), 0) + 1 INTO next_ord
                FROM facematch_templates WHERE namespace = p_ns AND subject = p_subject AND model = p_model;
            INSERT INTO facematch_templates (namespace, subject, model, ord, vector, vendor_data, sealed)
                VALUES (p_ns, p_subject, p_model, next_ord, p_sealed, p_vendor, true);
            DELETE FROM facematch_templates
                WHERE namespace = p_ns AND subject = p_subject AND model = p_model AND ord <= next_ord - p_max;
            SELECT count(*) INTO out_templates
                FROM facematch_templates WHERE namespace = p_ns AND subject = p_subject AND model = p_model;
            INSERT INTO facematch_changes (namespace, subject, model) VALUES (p_ns, p_subject, p_model)
                RETURNING seq INTO out_seq;
            PERFORM pg_notify('\(channel)', out_seq::text);
        END $$
        """,
        """
        CREATE FUNCTION facematch_delete(p_ns text, p_subject text, p_model text) RETURNS bigint
        LANGUAGE plpgsql AS $$
        DECLARE removed integer; new_seq bigint;
        BEGIN
            PERFORM pg_advisory_xact_lock(\(writeLockKey));
            DELETE FROM facematch_templates WHERE namespace = p_ns AND subject = p_subject AND model = p_model;
            GET DIAGNOSTICS removed = ROW_COUNT;
            DELETE FROM facematch_data_keys WHERE namespace = p_ns AND subject = p_subject AND model = p_model;
            IF removed = 0 THEN
                RETURN NULL;
            END IF;
            INSERT INTO facematch_changes (namespace, subject, model) VALUES (p_ns, p_subject, p_model)
                RETURNING seq INTO new_seq;
            PERFORM pg_notify('\(channel)', new_seq::text);
            RETURN new_seq;
        END $$
        """,
        """
        CREATE FUNCTION facematch_erase_templates(p_ns text, p_model text, p_before timestamptz,
                                                  OUT out_erased integer, OUT out_seq bigint)
        LANGUAGE plpgsql AS $$
        DECLARE touched text[];
        BEGIN
            PERFORM pg_advisory_xact_lock(\(writeLockKey));
            WITH gone AS (DELETE FROM facematch_templates
                          WHERE namespace = p_ns AND model = p_model AND created_at < p_before
                          RETURNING subject)
            SELECT count(*), array_agg(DISTINCT subject) INTO out_erased, touched FROM gone;
            IF out_erased = 0 THEN
                RETURN;
            END IF;
            DELETE FROM facematch_data_keys k
                WHERE k.namespace = p_ns AND k.model = p_model AND k.subject = ANY (touched)
                AND NOT EXISTS (SELECT 1 FROM facematch_templates t
                                WHERE t.namespace = p_ns AND t.model = p_model AND t.subject = k.subject);
            INSERT INTO facematch_changes (namespace, subject, model)
                SELECT p_ns, s, p_model FROM unnest(touched) AS s ORDER BY s;
            SELECT max(seq) INTO out_seq FROM facematch_changes;
            PERFORM pg_notify('\(channel)', out_seq::text);
        END $$
        """,
    ])
}
