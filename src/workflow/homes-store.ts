import { createHash, randomBytes } from 'node:crypto';
import type { Database, Queryable } from '../store/database.js';

/** A secure children's home as the routing rules see it. */
export interface HomeRecord {
  id: string;
  name: string;
  operator: string;
  region: string;
  email: string;
  beds: number;
  ageMin: number;
  ageMax: number;
  /** `female`, `male`. */
  sexes: string[];
  /** Risk keys from the referral form the home can meet (`selfHarm`, `fireSetting`, …). */
  needsMet: string[];
  postcodeDistrict: string | null;
}

interface HomeRow {
  id: string;
  name: string;
  operator: string;
  region: string;
  email: string;
  beds: number;
  age_min: number;
  age_max: number;
  sexes: string[];
  needs_met: string[];
  postcode_district: string | null;
}

/** The day a clock time falls on, as the directory records vacancies (`YYYY-MM-DD`, UTC). */
export function toDay(at: Date): string {
  return at.toISOString().slice(0, 10);
}

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** The homes directory and the vacancies homes declare each day. */
export class HomesStore {
  constructor(private readonly db: Database) {}

  /**
   * Inserts every home of the directory seed, and updates those no coordinator has edited
   * (idempotent: run at each start-up). A home edited in the browser keeps its edits.
   */
  async seed(homes: readonly HomeRecord[]): Promise<void> {
    for (const home of homes) {
      await this.db.query(
        `INSERT INTO homes (id, name, operator, region, email, beds, age_min, age_max, sexes, needs_met,
           postcode_district)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
         ON CONFLICT (id) DO UPDATE SET name = $2, operator = $3, region = $4, email = $5, beds = $6,
           age_min = $7, age_max = $8, sexes = $9, needs_met = $10, postcode_district = $11, updated_at = now()
         WHERE homes.edited_by IS NULL`,
        toHomeValues(home),
      );
    }
  }

  /**
   * Writes a coordinator's edit of a home (or a new home), marking it edited so the seed no
   * longer overwrites it.
   */
  async saveEdit(home: HomeRecord, by: string, at: Date, q: Queryable = this.db): Promise<void> {
    await q.query(
      `INSERT INTO homes (id, name, operator, region, email, beds, age_min, age_max, sexes, needs_met,
         postcode_district, edited_by, edited_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13)
       ON CONFLICT (id) DO UPDATE SET name = $2, operator = $3, region = $4, email = $5, beds = $6,
         age_min = $7, age_max = $8, sexes = $9, needs_met = $10, edited_by = $12, edited_at = $13,
         updated_at = $13`,
      [...toHomeValues(home), by, at.toISOString()],
    );
  }

  /** Every active home, by name. */
  async list(q: Queryable = this.db): Promise<HomeRecord[]> {
    const { rows } = await q.query<HomeRow>(`SELECT * FROM homes WHERE active ORDER BY name`);
    return rows.map(toHome);
  }

  async get(id: string, q: Queryable = this.db): Promise<HomeRecord | undefined> {
    const { rows } = await q.query<HomeRow>(`SELECT * FROM homes WHERE id = $1`, [id]);
    return rows[0] ? toHome(rows[0]) : undefined;
  }

  /** Vacancies declared for `day`, by home id (a home that has not declared is absent). */
  async vacancies(day: string, q: Queryable = this.db): Promise<Map<string, number>> {
    const { rows } = await q.query<{ home_id: string; vacancies: number }>(
      `SELECT home_id, vacancies FROM home_vacancies WHERE day = $1`,
      [day],
    );
    return new Map(rows.map((row) => [row.home_id, row.vacancies]));
  }

  /** Records a home's declaration for a day (a later declaration the same day replaces it). */
  /**
   * Development mode: declares two free beds today for every home that has not declared, so
   * routing proposes homes on a fresh start. Never overwrites a declaration. How many it added.
   */
  async seedExampleVacancies(at: Date): Promise<number> {
    const { rowCount } = await this.db.query(
      `INSERT INTO home_vacancies (home_id, day, vacancies, declared_at, declared_by)
       SELECT id, $1, 2, $2, 'development-seed' FROM homes ON CONFLICT (home_id, day) DO NOTHING`,
      [toDay(at), at.toISOString()],
    );
    return rowCount;
  }

  async declare(
    homeId: string,
    day: string,
    vacancies: number,
    at: Date,
    by: string | null,
  ): Promise<void> {
    await this.db.query(
      `INSERT INTO home_vacancies (home_id, day, vacancies, declared_at, declared_by) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (home_id, day) DO UPDATE SET vacancies = $3, declared_at = $4, declared_by = $5`,
      [homeId, day, vacancies, at.toISOString(), by],
    );
  }

  /** Issues a new vacancy-declaration link token for a home (only its hash is kept). */
  async issueVacancyToken(homeId: string): Promise<string> {
    const token = randomBytes(24).toString('base64url');
    await this.db.query(`UPDATE homes SET vacancy_token_hash = $2 WHERE id = $1`, [
      homeId,
      hashToken(token),
    ]);
    return token;
  }

  /** The home a vacancy link token belongs to. */
  async byVacancyToken(token: string): Promise<HomeRecord | undefined> {
    const { rows } = await this.db.query<HomeRow>(
      `SELECT * FROM homes WHERE vacancy_token_hash = $1`,
      [hashToken(token)],
    );
    return rows[0] ? toHome(rows[0]) : undefined;
  }
}

function toHome(row: HomeRow): HomeRecord {
  return {
    id: row.id,
    name: row.name,
    operator: row.operator,
    region: row.region,
    email: row.email,
    beds: row.beds,
    ageMin: row.age_min,
    ageMax: row.age_max,
    sexes: row.sexes,
    needsMet: row.needs_met,
    postcodeDistrict: row.postcode_district,
  };
}

/** A home's columns as the parameters `$1` to `$11` of its INSERT, in the table's order. */
function toHomeValues(home: HomeRecord): unknown[] {
  return [
    home.id,
    home.name,
    home.operator,
    home.region,
    home.email,
    home.beds,
    home.ageMin,
    home.ageMax,
    JSON.stringify(home.sexes),
    JSON.stringify(home.needsMet),
    home.postcodeDistrict,
  ];
}
