/**
 * Versioned schema migrations, run on open. Written in the SQL subset DuckDB and PostgreSQL share,
 * so both engines run the same list. Dates are ISO `YYYY-MM-DD` strings and months `YYYY-MM` strings:
 * exact, sortable, and identical on every engine. Amounts are BIGINT cents.
 */
import { at } from '../domain/indexing.js';

export interface Migration {
  version: number;
  name: string;
  sql: string[];
  /** Extra statements for one engine only (e.g. indexes PostgreSQL needs and DuckDB does not). */
  engine?: Record<string, string[]>;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'ledger',
    sql: [
      `CREATE TABLE source_files (
        id BIGINT PRIMARY KEY,
        name VARCHAR NOT NULL,
        path VARCHAR NOT NULL,
        sha256 VARCHAR NOT NULL UNIQUE,
        message_type VARCHAR NOT NULL,
        sender VARCHAR NOT NULL,
        receiver VARCHAR NOT NULL,
        message_id VARCHAR NOT NULL,
        message_date VARCHAR,
        size_bytes BIGINT NOT NULL,
        line_count BIGINT NOT NULL,
        total_cents BIGINT NOT NULL,
        xsd_validated BOOLEAN NOT NULL,
        imported_at VARCHAR NOT NULL
      )`,
      `CREATE TABLE declaration_lines (
        file_id BIGINT NOT NULL,
        seq INTEGER NOT NULL,
        source_line INTEGER NOT NULL,
        municipality VARCHAR NOT NULL,
        provider VARCHAR NOT NULL,
        client VARCHAR NOT NULL,
        declaration_number VARCHAR NOT NULL,
        declaration_date VARCHAR NOT NULL,
        declaration_month VARCHAR NOT NULL,
        declaration_period_start VARCHAR,
        reference_number VARCHAR NOT NULL,
        previous_reference_number VARCHAR,
        allocation_number VARCHAR,
        category VARCHAR NOT NULL,
        product_code VARCHAR,
        period_start VARCHAR NOT NULL,
        period_end VARCHAR NOT NULL,
        month VARCHAR NOT NULL,
        volume BIGINT NOT NULL,
        unit VARCHAR NOT NULL,
        tariff_cents BIGINT,
        amount_cents BIGINT NOT NULL,
        debit_credit VARCHAR NOT NULL,
        referrer VARCHAR,
        family VARCHAR
      )`,
      `CREATE TABLE declaration_answers (
        file_id BIGINT NOT NULL,
        seq INTEGER NOT NULL,
        source_line INTEGER NOT NULL,
        municipality VARCHAR NOT NULL,
        provider VARCHAR NOT NULL,
        client VARCHAR NOT NULL,
        declaration_number VARCHAR NOT NULL,
        reference_number VARCHAR NOT NULL,
        amount_cents BIGINT NOT NULL,
        return_codes VARCHAR NOT NULL,
        accepted BOOLEAN NOT NULL,
        answer_date VARCHAR
      )`,
      `CREATE TABLE allocations (
        file_id BIGINT NOT NULL,
        seq INTEGER NOT NULL,
        source_line INTEGER NOT NULL,
        municipality VARCHAR NOT NULL,
        provider VARCHAR NOT NULL,
        client VARCHAR NOT NULL,
        birth_year INTEGER,
        allocation_number VARCHAR NOT NULL,
        provider_reference VARCHAR,
        category VARCHAR NOT NULL,
        product_code VARCHAR,
        allocation_date VARCHAR NOT NULL,
        start_date VARCHAR NOT NULL,
        end_date VARCHAR,
        volume BIGINT,
        unit VARCHAR,
        frequency VARCHAR,
        budget_cents BIGINT,
        family VARCHAR
      )`,
      `CREATE TABLE care_events (
        file_id BIGINT NOT NULL,
        seq INTEGER NOT NULL,
        source_line INTEGER NOT NULL,
        kind VARCHAR NOT NULL,
        municipality VARCHAR NOT NULL,
        provider VARCHAR NOT NULL,
        client VARCHAR NOT NULL,
        allocation_number VARCHAR NOT NULL,
        category VARCHAR,
        product_code VARCHAR,
        event_date VARCHAR NOT NULL,
        reason VARCHAR,
        status VARCHAR
      )`,
      `CREATE TABLE requests (
        file_id BIGINT NOT NULL,
        seq INTEGER NOT NULL,
        source_line INTEGER NOT NULL,
        municipality VARCHAR NOT NULL,
        provider VARCHAR NOT NULL,
        client VARCHAR NOT NULL,
        provider_reference VARCHAR NOT NULL,
        category VARCHAR,
        product_code VARCHAR,
        referrer_type VARCHAR NOT NULL,
        start_date VARCHAR,
        end_date VARCHAR
      )`,
      `CREATE TABLE municipalities (
        code VARCHAR PRIMARY KEY,
        name VARCHAR NOT NULL,
        inhabitants BIGINT NOT NULL,
        youths BIGINT NOT NULL,
        approximate BOOLEAN NOT NULL,
        in_region BOOLEAN NOT NULL
      )`,
      `CREATE TABLE findings (
        rule VARCHAR NOT NULL,
        file_id BIGINT NOT NULL,
        seq INTEGER NOT NULL,
        detail VARCHAR NOT NULL
      )`,
      /* Derived: the referrer of each allocation (JW301 → JW315 Verwijzer, else 01 = municipal access). */
      `CREATE TABLE allocation_referrers (
        municipality VARCHAR NOT NULL,
        provider VARCHAR NOT NULL,
        allocation_number VARCHAR NOT NULL,
        referrer VARCHAR NOT NULL,
        PRIMARY KEY (municipality, provider, allocation_number)
      )`,
      /* Derived: lines a JW325 answer rejected (they stop counting as toegekend). */
      `CREATE TABLE rejected_lines (
        file_id BIGINT NOT NULL,
        seq INTEGER NOT NULL
      )`,
    ],
    engine: {
      postgres: [
        `CREATE INDEX declaration_lines_file ON declaration_lines (file_id, seq)`,
        `CREATE INDEX declaration_lines_month ON declaration_lines (municipality, month)`,
        `CREATE INDEX declaration_lines_decl ON declaration_lines (municipality, provider, declaration_number)`,
        `CREATE INDEX declaration_lines_ref ON declaration_lines (provider, reference_number)`,
        `CREATE INDEX declaration_lines_prevref ON declaration_lines (provider, previous_reference_number)`,
        `CREATE INDEX allocations_key ON allocations (municipality, provider, allocation_number)`,
        `CREATE INDEX requests_key ON requests (municipality, provider, provider_reference)`,
        `CREATE INDEX care_events_key ON care_events (municipality, provider, allocation_number)`,
        `CREATE INDEX findings_line ON findings (file_id, seq)`,
        `CREATE INDEX rejected_lines_line ON rejected_lines (file_id, seq)`,
      ],
    },
  },
  {
    version: 2,
    name: 'access',
    sql: [
      `CREATE TABLE users (
        username VARCHAR PRIMARY KEY,
        password_hash VARCHAR NOT NULL,
        role VARCHAR NOT NULL,
        municipalities VARCHAR NOT NULL,
        organisation VARCHAR,
        disabled BOOLEAN NOT NULL,
        created_at VARCHAR NOT NULL,
        updated_at VARCHAR NOT NULL
      )`,
      `CREATE TABLE sessions (
        id_hash VARCHAR PRIMARY KEY,
        username VARCHAR NOT NULL,
        csrf_token VARCHAR NOT NULL,
        created_at VARCHAR NOT NULL,
        expires_at VARCHAR NOT NULL
      )`,
      /* Append-only: the code has no UPDATE or DELETE on this table (NEN 7513). */
      `CREATE TABLE audit_log (
        logged_at VARCHAR NOT NULL,
        username VARCHAR NOT NULL,
        role VARCHAR NOT NULL,
        action VARCHAR NOT NULL,
        clients VARCHAR NOT NULL,
        purpose VARCHAR,
        municipality VARCHAR,
        detail VARCHAR
      )`,
    ],
  },
  {
    version: 3,
    name: 'steering',
    sql: [
      /* Budget history, append-only: a primitive budget and amendments (signed deltas); nothing is overwritten.
         The budget at a date = Σ amount of the entries dated on or before it. category_group NULL = all care. */
      `CREATE TABLE budget_entries (
        id BIGINT PRIMARY KEY,
        municipality VARCHAR NOT NULL,
        budget_year INTEGER NOT NULL,
        category_group VARCHAR,
        kind VARCHAR NOT NULL,
        entry_date VARCHAR NOT NULL,
        decision_reference VARCHAR,
        amount_cents BIGINT NOT NULL,
        description VARCHAR,
        entered_by VARCHAR NOT NULL,
        entered_at VARCHAR NOT NULL
      )`,
      /* Local (general) provisions budget lines ("voorkant": SJT, CJG, youth work), append-only like budgets. */
      `CREATE TABLE local_provisions (
        id BIGINT PRIMARY KEY,
        municipality VARCHAR NOT NULL,
        budget_year INTEGER NOT NULL,
        provision VARCHAR NOT NULL,
        entry_date VARCHAR NOT NULL,
        amount_cents BIGINT NOT NULL,
        description VARCHAR,
        entered_by VARCHAR NOT NULL,
        entered_at VARCHAR NOT NULL
      )`,
      /* The measures ledger (maatregelen); a measure is replaced whole when saved again with its id. */
      `CREATE TABLE measures (
        id VARCHAR PRIMARY KEY,
        title VARCHAR NOT NULL,
        description VARCHAR NOT NULL,
        owner_kind VARCHAR NOT NULL,
        owner_municipality VARCHAR,
        owner_name VARCHAR,
        plan_what VARCHAR NOT NULL,
        plan_start VARCHAR NOT NULL,
        plan_end VARCHAR,
        status VARCHAR NOT NULL,
        one_off_costs_cents BIGINT NOT NULL,
        one_off_year INTEGER,
        structural_costs_cents BIGINT NOT NULL,
        risk_percent DOUBLE PRECISION NOT NULL,
        scope_municipalities VARCHAR NOT NULL,
        scope_categories VARCHAR NOT NULL,
        scope_products VARCHAR NOT NULL,
        scope_provider VARCHAR,
        entered_by VARCHAR NOT NULL,
        updated_at VARCHAR NOT NULL
      )`,
      `CREATE TABLE measure_savings (
        measure_id VARCHAR NOT NULL,
        savings_year INTEGER NOT NULL,
        amount_cents BIGINT NOT NULL,
        PRIMARY KEY (measure_id, savings_year)
      )`,
      /* Savings targets (taakstelling) per municipality or the region (scope 'regio') and year. */
      `CREATE TABLE savings_targets (
        scope VARCHAR NOT NULL,
        target_year INTEGER NOT NULL,
        amount_cents BIGINT NOT NULL,
        description VARCHAR,
        entered_by VARCHAR NOT NULL,
        entered_at VARCHAR NOT NULL,
        PRIMARY KEY (scope, target_year)
      )`,
      /* KPI definitions per scope (a municipality code or 'regio'); replaced when saved again. */
      `CREATE TABLE kpi_definitions (
        id VARCHAR NOT NULL,
        scope VARCHAR NOT NULL,
        name VARCHAR NOT NULL,
        formula VARCHAR,
        unit VARCHAR NOT NULL,
        direction VARCHAR NOT NULL,
        target DOUBLE PRECISION,
        critical DOUBLE PRECISION,
        source VARCHAR,
        PRIMARY KEY (id, scope)
      )`,
      /* KPI values, append-only: a later entry for the same KPI, scope and period supersedes an earlier one. */
      `CREATE TABLE kpi_values (
        id BIGINT PRIMARY KEY,
        kpi_id VARCHAR NOT NULL,
        scope VARCHAR NOT NULL,
        period VARCHAR NOT NULL,
        value DOUBLE PRECISION,
        entered_by VARCHAR NOT NULL,
        entered_at VARCHAR NOT NULL
      )`,
    ],
  },
  {
    version: 4,
    name: 'decisions',
    sql: [
      /* The decision cycle (domain/decisions): one row per proposal with its vote and nota van reactie dates.
         A proposal is replaced whole when saved again; points, reactions and commitments can also be added one by one. */
      `CREATE TABLE decision_proposals (
        id VARCHAR PRIMARY KEY,
        title VARCHAR NOT NULL,
        kind VARCHAR NOT NULL,
        budget_year INTEGER NOT NULL,
        amount_cents BIGINT NOT NULL,
        split_note VARCHAR,
        sent_for_view_on VARCHAR NOT NULL,
        decided_by_ab_on VARCHAR,
        members VARCHAR NOT NULL,
        nota_treated_on VARCHAR,
        nota_sent_on VARCHAR,
        nota_status_basis VARCHAR NOT NULL,
        vote_body VARCHAR NOT NULL,
        vote_date VARCHAR,
        vote_recorded_result VARCHAR,
        source VARCHAR NOT NULL,
        entered_by VARCHAR NOT NULL,
        updated_at VARCHAR NOT NULL
      )`,
      `CREATE TABLE decision_splits (
        proposal_id VARCHAR NOT NULL,
        municipality VARCHAR NOT NULL,
        amount_cents BIGINT NOT NULL,
        PRIMARY KEY (proposal_id, municipality)
      )`,
      /* Figures frozen as they were known on as_of (e.g. the forecast on the proposal date). */
      `CREATE TABLE decision_figures (
        proposal_id VARCHAR NOT NULL,
        seq INTEGER NOT NULL,
        label VARCHAR NOT NULL,
        value_kind VARCHAR NOT NULL,
        value_cents BIGINT,
        value_percent DOUBLE PRECISION,
        as_of VARCHAR,
        source VARCHAR NOT NULL,
        PRIMARY KEY (proposal_id, seq)
      )`,
      `CREATE TABLE decision_documents (
        proposal_id VARCHAR NOT NULL,
        seq INTEGER NOT NULL,
        title VARCHAR NOT NULL,
        document_date VARCHAR,
        url VARCHAR,
        PRIMARY KEY (proposal_id, seq)
      )`,
      `CREATE TABLE decision_views (
        proposal_id VARCHAR NOT NULL,
        municipality VARCHAR NOT NULL,
        seq INTEGER NOT NULL,
        received VARCHAR,
        stance VARCHAR NOT NULL,
        notes VARCHAR,
        earlier_views VARCHAR,
        PRIMARY KEY (proposal_id, municipality)
      )`,
      `CREATE TABLE decision_points (
        proposal_id VARCHAR NOT NULL,
        point_id VARCHAR NOT NULL,
        municipality VARCHAR NOT NULL,
        seq INTEGER NOT NULL,
        number VARCHAR NOT NULL,
        theme VARCHAR NOT NULL,
        text VARCHAR NOT NULL,
        PRIMARY KEY (proposal_id, point_id)
      )`,
      `CREATE TABLE decision_reactions (
        proposal_id VARCHAR NOT NULL,
        point_id VARCHAR NOT NULL,
        seq INTEGER NOT NULL,
        status VARCHAR NOT NULL,
        text VARCHAR NOT NULL,
        PRIMARY KEY (proposal_id, point_id)
      )`,
      `CREATE TABLE decision_votes (
        proposal_id VARCHAR NOT NULL,
        municipality VARCHAR NOT NULL,
        seq INTEGER NOT NULL,
        choice VARCHAR NOT NULL,
        basis VARCHAR NOT NULL,
        PRIMARY KEY (proposal_id, municipality)
      )`,
      /* What was promised (or asked for), tracked as open items with owner and due date. */
      `CREATE TABLE decision_commitments (
        proposal_id VARCHAR NOT NULL,
        commitment_id VARCHAR NOT NULL,
        seq INTEGER NOT NULL,
        text VARCHAR NOT NULL,
        owner VARCHAR NOT NULL,
        due VARCHAR,
        due_note VARCHAR,
        recurrence VARCHAR,
        origin VARCHAR NOT NULL,
        from_points VARCHAR NOT NULL,
        status VARCHAR NOT NULL,
        source VARCHAR NOT NULL,
        PRIMARY KEY (proposal_id, commitment_id)
      )`,
    ],
  },
  {
    version: 5,
    name: 'data version',
    sql: [
      /* One row, bumped by refreshDerived: with MAX(source_files.id) it tells readers (in any process) that the
         ledger or its derived tables changed, so cached aggregates (sql/base.ts readCached) are recomputed. */
      `CREATE TABLE data_version (version BIGINT NOT NULL)`,
      `INSERT INTO data_version VALUES (0)`,
    ],
  },
  {
    version: 6,
    name: 'runoff cells',
    sql: [
      /* Pre-aggregated run-off: net amount and lines per municipality × production month × declaration month ×
         declaration date, which the forecast reads instead of the line table (exact: sums of integer cents; the
         declaration date keeps the as-of filter exact). Added to inside every import transaction and rebuilt
         by refreshDerived, so it stays equal to the lines under re-import, rollback and idempotent imports. */
      `CREATE TABLE runoff_cells (
        municipality VARCHAR NOT NULL,
        month VARCHAR NOT NULL,
        declaration_month VARCHAR NOT NULL,
        declaration_date VARCHAR NOT NULL,
        amount_cents BIGINT NOT NULL,
        line_count BIGINT NOT NULL
      )`,
      `INSERT INTO runoff_cells (municipality, month, declaration_month, declaration_date, amount_cents, line_count)
       SELECT municipality, month, declaration_month, declaration_date, SUM(amount_cents), COUNT(*)
         FROM declaration_lines GROUP BY 1, 2, 3, 4`,
    ],
    engine: {
      postgres: [`CREATE INDEX runoff_cells_key ON runoff_cells (municipality, month)`],
    },
  },
  {
    version: 7,
    name: 'contracted tariffs',
    sql: [
      /* The contracted tariff list (reference data, `grip tariffs import`): per provider (AGB code, or '*' for
         every provider), JZ020 category, product code (NULL = the whole category) and WJ756 unit, the tariff in
         cents valid from valid_from to valid_to (NULL = open-ended). A row saved again with the same provider,
         category, product and valid_from replaces the stored one (sql/tariffs.ts). Used by the data-quality
         check "tariff" (sql/insight.ts). */
      `CREATE TABLE contracted_tariffs (
        provider VARCHAR NOT NULL,
        category VARCHAR NOT NULL,
        product_code VARCHAR,
        unit VARCHAR NOT NULL,
        tariff_cents BIGINT NOT NULL,
        valid_from VARCHAR NOT NULL,
        valid_to VARCHAR,
        source VARCHAR NOT NULL,
        entered_by VARCHAR NOT NULL,
        entered_at VARCHAR NOT NULL
      )`,
    ],
    engine: {
      postgres: [`CREATE INDEX contracted_tariffs_match ON contracted_tariffs (category, unit)`],
    },
  },
  {
    version: 8,
    name: 'provider register',
    sql: [
      /* The provider register (reference data, `grip providers import`): per AGB code the provider's name, and
         optionally its KvK number and type of care, so pages and reports show names instead of bare codes. A
         row saved again with the same AGB code replaces the stored one (sql/providers.ts). */
      `CREATE TABLE providers (
        agb VARCHAR PRIMARY KEY,
        name VARCHAR NOT NULL,
        kvk VARCHAR,
        care_type VARCHAR,
        source VARCHAR NOT NULL,
        entered_by VARCHAR NOT NULL,
        entered_at VARCHAR NOT NULL
      )`,
    ],
  },
  {
    version: 9,
    name: 'forecast vintages',
    sql: [
      /* Published forecasts (`grip forecast publish`), append-only: nothing updates or deletes a row. One
         vintage (vintage_id) holds a row per municipality and one for the region (scope 'regio'), each with
         its interval, the as-of date, the data version and method version it was made with, and its months
         (JSON: per production month declared, not yet declared, remaining) for the explanation of revisions. */
      `CREATE TABLE forecast_vintages (
        vintage_id BIGINT NOT NULL,
        year INTEGER NOT NULL,
        as_of VARCHAR NOT NULL,
        label VARCHAR,
        published_at VARCHAR NOT NULL,
        published_by VARCHAR NOT NULL,
        data_version VARCHAR NOT NULL,
        method_version VARCHAR NOT NULL,
        scope VARCHAR NOT NULL,
        declared_cents BIGINT NOT NULL,
        ibnr_cents BIGINT NOT NULL,
        remaining_cents BIGINT NOT NULL,
        forecast_cents BIGINT NOT NULL,
        low_cents BIGINT NOT NULL,
        high_cents BIGINT NOT NULL,
        months VARCHAR NOT NULL
      )`,
    ],
    engine: {
      postgres: [`CREATE INDEX forecast_vintages_year ON forecast_vintages (year, vintage_id)`],
    },
  },
  {
    version: 10,
    name: 'reservations, special cases, year-end statements',
    sql: [
      /* What a municipality reserved (e.g. at its own Burap) for its share of the region's overrun of a year,
         append-only like budget entries: the reservation at a date is the latest entry dated on or before it. */
      `CREATE TABLE budget_reservations (
        id BIGINT PRIMARY KEY,
        municipality VARCHAR NOT NULL,
        budget_year INTEGER NOT NULL,
        entry_date VARCHAR NOT NULL,
        amount_cents BIGINT NOT NULL,
        reference VARCHAR,
        description VARCHAR,
        entered_by VARCHAR NOT NULL,
        entered_at VARCHAR NOT NULL
      )`,
      /* Special cases marked by hand (`grip special-cases add`): a client (pseudonym), a family (family key) or
         an allocation (number, optionally the provider) with a reason and a period of production months.
         Removal sets removed_by/removed_at; a row is never deleted. Never a BSN: the subject is checked. */
      `CREATE TABLE special_cases (
        id BIGINT PRIMARY KEY,
        municipality VARCHAR NOT NULL,
        kind VARCHAR NOT NULL,
        subject VARCHAR NOT NULL,
        provider VARCHAR,
        reason VARCHAR NOT NULL,
        period_from VARCHAR NOT NULL,
        period_to VARCHAR,
        entered_by VARCHAR NOT NULL,
        entered_at VARCHAR NOT NULL,
        removed_by VARCHAR,
        removed_at VARCHAR
      )`,
      /* Providers' year-end production statements (productieverantwoording), per provider, municipality, year
         and product (a category code or a product code). A row saved again with the same key replaces the
         stored one; source and source_line name the file and line it came from. */
      `CREATE TABLE year_end_statements (
        provider VARCHAR NOT NULL,
        municipality VARCHAR NOT NULL,
        statement_year INTEGER NOT NULL,
        product VARCHAR NOT NULL,
        amount_cents BIGINT NOT NULL,
        source VARCHAR NOT NULL,
        source_line INTEGER NOT NULL,
        entered_by VARCHAR NOT NULL,
        entered_at VARCHAR NOT NULL,
        PRIMARY KEY (provider, municipality, statement_year, product)
      )`,
    ],
  },
  {
    version: 11,
    name: 'case-system exports',
    sql: [
      /* Saved column mappings (`grip mapping save`, the upload page): the mapping's JSON as validated by
         domain/mapping/schema.ts. Kept in the warehouse, so the CLI and every web server share them. */
      `CREATE TABLE column_mappings (
        name VARCHAR PRIMARY KEY,
        source VARCHAR NOT NULL,
        definition VARCHAR NOT NULL,
        saved_by VARCHAR NOT NULL,
        saved_at VARCHAR NOT NULL
      )`,
      /* One row per imported export (a source_files row of type EXPORT): its source, mapping, the production
         months it covers and what of earlier exports of the same source it replaced. */
      `CREATE TABLE export_files (
        file_id BIGINT PRIMARY KEY,
        source VARCHAR NOT NULL,
        mapping VARCHAR NOT NULL,
        period_from VARCHAR NOT NULL,
        period_to VARCHAR NOT NULL,
        municipalities VARCHAR NOT NULL,
        replaced_lines BIGINT NOT NULL,
        replaced_cents BIGINT NOT NULL,
        replaced_files VARCHAR NOT NULL
      )`,
      /* Lineage of an export's lines by sheet: lines first_seq..last_seq of the file come from this sheet (the
         line's source_line is its row there). CSV exports have one range with sheet NULL. */
      `CREATE TABLE export_sheets (
        file_id BIGINT NOT NULL,
        sheet VARCHAR,
        first_seq INTEGER NOT NULL,
        last_seq INTEGER NOT NULL
      )`,
    ],
  },
  {
    version: 12,
    name: 'region name',
    sql: [
      /* The region the warehouse is for, one row (its municipalities are the in_region rows of municipalities).
         Existing and new warehouses start as the built-in region, the one migration 1 seeds. */
      `CREATE TABLE region (name VARCHAR NOT NULL)`,
      `INSERT INTO region VALUES ('Zuid-Holland Zuid')`,
    ],
  },
  {
    version: 13,
    name: 'split key of a proposal',
    sql: [
      /* The allocation key a proposal entered in Grip was split by (NULL for a split from a source document):
         a key resting on the ledger makes its split per municipality a cell figure that aggregate roles do not see. */
      `ALTER TABLE decision_proposals ADD COLUMN split_key VARCHAR`,
    ],
  },
  {
    version: 14,
    name: 'no in-memory key indexes on large DuckDB tables',
    sql: [],
    engine: {
      /* DuckDB keeps a PRIMARY KEY or UNIQUE index (ART) in memory, outside its buffer manager's reach: at
         national size (≈ 3.7 M source files, ≈ 2 M allocation referrers) committing them needs more than the
         import's memory limit, and the import fails. DuckDB has one writing process and the importer looks
         every file's hash up before storing it (and drops repeats within a run); allocation_referrers is
         rebuilt by one GROUP BY per key. So DuckDB keeps these two tables without key indexes; PostgreSQL's
         B-trees live on disk and stay. */
      duckdb: [
        `CREATE TABLE source_files_v14 (
          id BIGINT NOT NULL,
          name VARCHAR NOT NULL,
          path VARCHAR NOT NULL,
          sha256 VARCHAR NOT NULL,
          message_type VARCHAR NOT NULL,
          sender VARCHAR NOT NULL,
          receiver VARCHAR NOT NULL,
          message_id VARCHAR NOT NULL,
          message_date VARCHAR,
          size_bytes BIGINT NOT NULL,
          line_count BIGINT NOT NULL,
          total_cents BIGINT NOT NULL,
          xsd_validated BOOLEAN NOT NULL,
          imported_at VARCHAR NOT NULL
        )`,
        `INSERT INTO source_files_v14 SELECT id, name, path, sha256, message_type, sender, receiver, message_id,
          message_date, size_bytes, line_count, total_cents, xsd_validated, imported_at FROM source_files ORDER BY id`,
        `DROP TABLE source_files`,
        `ALTER TABLE source_files_v14 RENAME TO source_files`,
        `CREATE TABLE allocation_referrers_v14 (
          municipality VARCHAR NOT NULL,
          provider VARCHAR NOT NULL,
          allocation_number VARCHAR NOT NULL,
          referrer VARCHAR NOT NULL
        )`,
        `INSERT INTO allocation_referrers_v14 SELECT municipality, provider, allocation_number, referrer FROM allocation_referrers`,
        `DROP TABLE allocation_referrers`,
        `ALTER TABLE allocation_referrers_v14 RENAME TO allocation_referrers`,
      ],
    },
  },
  {
    version: 15,
    name: 'derived tables state',
    sql: [
      /* One row: the derived tables (allocation referrers, rejected lines, findings) reflect exactly the files
         with id ≤ upto, so refreshDerived brings them up from there (sql/base.ts advanceDerived) instead of
         rebuilding them from every line. 0: rebuilt whole next time (a new or upgraded warehouse, or after a
         case-system export replaced lines). */
      `CREATE TABLE derived_state (upto BIGINT NOT NULL)`,
      `INSERT INTO derived_state VALUES (0)`,
    ],
  },
];

export const SCHEMA_VERSION = at(MIGRATIONS, MIGRATIONS.length - 1).version;
