import type {
  CensusAuthority,
  CensusRecordSource,
  CensusReturnFigures,
} from '../census/census-record-source.js';
import type { CensusRecord } from '../census/to-census-record.js';
import type { Queryable } from './database.js';

// Only a return its authority has signed off (or exported) counts in the statistics.
const counted = `r.state IN ('signed-off', 'exported') AND r.number_of_vacancies IS NOT NULL
  AND r.agency_fte IS NOT NULL AND r.agency_headcount IS NOT NULL`;

/** The statistics' view of census returns, over the census tables of PostgreSQL or PGlite. */
export class PostgresCensusRecordSource implements CensusRecordSource {
  constructor(private readonly db: Queryable) {}

  async listYears(): Promise<number[]> {
    const { rows } = await this.db.query<{ year: number | string }>(
      `SELECT DISTINCT r.year FROM census_returns r WHERE ${counted} ORDER BY r.year DESC`,
    );
    return rows.map((row) => Number(row.year));
  }

  async listAuthorities(year: number): Promise<CensusAuthority[]> {
    const { rows } = await this.db.query<{ la_code: string; name: string }>(
      `SELECT o.la_code, o.name FROM census_returns r JOIN organisations o ON o.id = r.organisation_id
       WHERE r.year = $1 AND o.la_code IS NOT NULL AND ${counted} ORDER BY o.name`,
      [year],
    );
    return rows.map((row) => ({ laCode: row.la_code, name: row.name }));
  }

  async loadReturns(year: number, laCode?: string): Promise<CensusReturnFigures[]> {
    const { rows } = await this.db.query<{
      id: string;
      la_code: string;
      name: string;
      number_of_vacancies: string | number;
      agency_fte: string | number;
      agency_headcount: string | number;
    }>(
      `SELECT r.id, o.la_code, o.name, r.number_of_vacancies, r.agency_fte, r.agency_headcount
       FROM census_returns r JOIN organisations o ON o.id = r.organisation_id
       WHERE r.year = $1 AND o.la_code IS NOT NULL AND ($2::text IS NULL OR o.la_code = $2)
         AND ${counted}
       ORDER BY o.name`,
      [year, laCode ?? null],
    );
    const returns: CensusReturnFigures[] = [];
    for (const row of rows) {
      const workers = await this.db.query<{ record: CensusRecord | string }>(
        'SELECT record FROM census_workers WHERE return_id = $1 ORDER BY swe_no',
        [row.id],
      );
      returns.push({
        laCode: row.la_code,
        name: row.name,
        year,
        vacancies: {
          numberOfVacancies: Number(row.number_of_vacancies),
          agencyFte: Number(row.agency_fte),
          agencyHeadcount: Number(row.agency_headcount),
        },
        records: workers.rows.map((worker) =>
          typeof worker.record === 'string'
            ? (JSON.parse(worker.record) as CensusRecord)
            : worker.record,
        ),
      });
    }
    return returns;
  }
}
