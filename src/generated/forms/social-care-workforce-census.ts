/* Generated from forms/social-care-workforce-census.json by `npm run gen:types`. Do not edit. */

export interface SocialCareWorkforceCensusAnswers {
  /**
   * Is the worker an agency worker?
   */
  AgencyWorker: number & (1 | 0);
  /**
   * Social Work England registration number: Two letters followed by numbers, for example SW123456
   */
  SWENo: string;
  /**
   * Full-time equivalent (FTE): Between 0 and 1, up to 6 decimal places, for example 0.8 for 4 days a week. Enter 0 for a leaver
   */
  FTE: number;
  /**
   * Date the worker left the role: Only if they left between 1 October and 30 September of the census year. Leave blank if they are still in post
   */
  RoleEndDate?: string;
  /**
   * Number of cases held at 30 September: Leave blank if the worker does not hold cases
   */
  Cases30?: number;
  /**
   * Was the worker absent on 30 September?
   */
  Absat30Sept?: number & (1 | 0);
  /**
   * Date of birth: For example, 27 3 1985
   */
  PersonBirthDate?: string;
  /**
   * Gender
   */
  GenderCurrent?: number & (1 | 2 | 9 | 0);
  /**
   * Ethnicity
   */
  Ethnicity?: (
    | 'WBRI'
    | 'WIRI'
    | 'WOTH'
    | 'MWBC'
    | 'MWBA'
    | 'MWAS'
    | 'MOTH'
    | 'AIND'
    | 'APKN'
    | 'ABAN'
    | 'AOTH'
    | 'BCRB'
    | 'BAFR'
    | 'BOTH'
    | 'CHNE'
    | 'OOTH'
    | 'REFU'
    | 'NOBT'
  ) &
    string;
  /**
   * Where did the worker gain their social work qualification?: The university or other institution
   */
  QualInst?: string;
  /**
   * Level of the social work qualification
   */
  QualLevel?: number & (1 | 2 | 3);
  /**
   * Did the worker qualify through Step Up to Social Work?
   */
  StepUpGrad?: number & (1 | 0);
  /**
   * Did the worker qualify through Frontline?
   */
  FrontlineGrad?: number & (1 | 0);
  /**
   * Role
   */
  OrgRole?: number & (1 | 2 | 3 | 4 | 5 | 6);
  /**
   * Date the worker started the role
   */
  RoleStartDate?: string;
  /**
   * Where did the worker come from?
   */
  StartOrigin?: number & (1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10);
  /**
   * Full-time equivalent (FTE) at 30 September: Between 0 and 1, up to 6 decimal places
   */
  FTE30?: number;
  /**
   * Working days lost to sickness absence: In the census year, up to 2 decimal places, for example 3.5. Enter 0 if none
   */
  WorkingDaysLost?: number;
  /**
   * Length of the agency contract: In weeks, up to 1 decimal place, for example 26.5
   */
  ContractWeeks?: number;
  /**
   * Why did the worker leave?
   */
  ReasonLeave?: number & (1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10);
  /**
   * Where did the worker go?
   */
  LeaverDestination?: number & (1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9);
  /**
   * Why was the worker absent?
   */
  ReasonAbsence?: ('MAT' | 'OTH' | 'PUB' | 'SIC' | 'TRN' | 'UNA' | 'UNP') & string;
}
