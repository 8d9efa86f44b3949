/* Generated from forms/secure-welfare-referral.json by `npm run gen:types`. Do not edit. */

export type Document = string;

export interface SecureWelfareReferralAnswers {
  /**
   * About you and the referral
   */
  referrer: {
    /**
     * Your full name
     */
    officerName: string;
    /**
     * Your telephone number: A number the unit and the homes can reach you on during the working day
     */
    phone: string;
    /**
     * Your secure work email address: We will send updates about this referral to this address
     */
    email: string;
    /**
     * Which local authority is making the referral?
     */
    localAuthority: string;
    /**
     * Name of the senior manager who agreed this referral: A head of service or more senior manager must agree every request for a secure placement
     */
    sanctioningManagerName: string;
    /**
     * Senior manager's job title
     */
    sanctioningManagerRole: string;
    /**
     * Date of referral: For example, 21 11 2026
     */
    referralDate: string;
    /**
     * What type of referral is this?
     */
    referralType: ('planned' | 'emergency' | 'review') & string;
    /**
     * What is the reference of the referral you are reviewing?: For example, SWR-2026-00042
     */
    previousReference?: string;
  };
  /**
   * Legal basis
   */
  legalBasis: {
    /**
     * Which law is the secure placement sought under?: Choose section 119 if the child is looked after by a local authority in Wales
     */
    legislation: ('s25' | 's119') & string;
    /**
     * Which grounds for secure accommodation apply?: Select all that apply
     *
     * @minItems 1
     */
    grounds: [
      ('a' | 'b') & string & ('a' | 'b') & string,
      ...(('a' | 'b') & string & ('a' | 'b') & string)[],
    ];
    /**
     * What is the status of the secure accommodation order?
     */
    orderStatus: ('granted' | 'appliedFor' | 'hearingListed' | 'seventyTwoHour') & string;
    /**
     * Has the Secretary of State approved placing the child in secure accommodation?: A child under 13 may only be placed in secure accommodation with the approval of the Secretary of State (in Wales, the Welsh Ministers)
     */
    secretaryOfStateApproval?: true;
    /**
     * Date of approval
     */
    secretaryOfStateApprovalDate?: string;
    /**
     * What is the child’s legal status?
     */
    legalStatusEngland?: ('s20' | 's31' | 's38' | 'remand') & string;
    /**
     * What is the child’s legal status?
     */
    legalStatusWales?: ('s76' | 's31' | 's38' | 'remand') & string;
    /**
     * Which court is dealing with the application?: For example, the Family Court sitting at Exampletown
     */
    court?: string;
    /**
     * Date of the hearing: For example, 3 12 2026
     */
    hearingDate?: string;
    /**
     * Date the order starts
     */
    orderStartDate?: string;
    /**
     * Date the order ends: A first order lasts up to 3 months and a renewal up to 6 months
     */
    orderEndDate?: string;
    /**
     * Date the 72 hours start: The day the child is first placed in secure accommodation without an order
     */
    seventyTwoHourStartDate?: string;
    /**
     * Time the 72 hours start: Use the 24-hour clock, for example 14:30
     */
    seventyTwoHourStartTime?: string;
  };
  /**
   * About the child
   */
  child: {
    /**
     * First name
     */
    firstName: string;
    /**
     * Last name
     */
    lastName: string;
    /**
     * Local authority child ID: The child’s ID in your case management system
     */
    laChildId: string;
    /**
     * Date of birth: For example, 27 3 2012
     */
    dateOfBirth: string;
    /**
     * Sex
     */
    sex: ('female' | 'male') & string;
    /**
     * Gender identity: Only if it is different from their sex. Use the child’s own words
     */
    genderIdentity?: string;
    /**
     * Ethnicity
     */
    ethnicity: (
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
     * Religion or belief: Leave blank if not known
     */
    religion?: string;
    /**
     * First language
     */
    firstLanguage: string;
    /**
     * Does the child need an interpreter?
     */
    interpreterNeeded: boolean;
    /**
     * Is the child subject to a child protection plan?
     */
    childProtectionPlan: boolean;
    /**
     * Where is the child living now?
     */
    currentPlacementType: (
      | 'family'
      | 'fosterCare'
      | 'childrensHome'
      | 'secureHome'
      | 'youthDetention'
      | 'hospital'
      | 'unregistered'
      | 'missing'
      | 'other'
    ) &
      string;
    /**
     * Which local authority is the child’s home area?: Where the child lived before they became looked after
     */
    homeLocalAuthority: string;
    /**
     * Postcode district of the child’s home area: The first part of the postcode only, for example LS1 or SW1A. Do not give a full address
     */
    postcodeDistrict: string;
    /**
     * Which language does the interpreter need to speak?: Include British Sign Language or another sign language
     */
    interpreterLanguage?: string;
    /**
     * Date the child protection plan started
     */
    childProtectionPlanDate?: string;
    /**
     * Describe where the child is living now
     */
    currentPlacementOther?: string;
  };
  /**
   * Contacts: The professionals working with the child and everyone with parental responsibility for them
   *
   * @minItems 1
   * @maxItems 30
   *
   * Items: Contact
   */
  contacts: [
    {
      /**
       * Role
       */
      role: (
        | 'socialWorker'
        | 'teamManager'
        | 'childrensGuardian'
        | 'solicitor'
        | 'iro'
        | 'parentalResponsibility'
        | 'youthOffendingTeam'
        | 'camhs'
        | 'other'
      ) &
        string;
      /**
       * Full name
       */
      name: string;
      /**
       * Telephone number
       */
      phone?: string;
      /**
       * Email address
       */
      email?: string;
      /**
       * Relationship to the child: For example, mother, father or grandparent
       */
      relationship?: string;
      /**
       * Has this person been told about the referral?
       */
      informed?: boolean;
      /**
       * Organisation: For example, the local authority, court or service they work for
       */
      organisation?: string;
      /**
       * Describe their role
       */
      roleDescription?: string;
    },
    ...{
      /**
       * Role
       */
      role: (
        | 'socialWorker'
        | 'teamManager'
        | 'childrensGuardian'
        | 'solicitor'
        | 'iro'
        | 'parentalResponsibility'
        | 'youthOffendingTeam'
        | 'camhs'
        | 'other'
      ) &
        string;
      /**
       * Full name
       */
      name: string;
      /**
       * Telephone number
       */
      phone?: string;
      /**
       * Email address
       */
      email?: string;
      /**
       * Relationship to the child: For example, mother, father or grandparent
       */
      relationship?: string;
      /**
       * Has this person been told about the referral?
       */
      informed?: boolean;
      /**
       * Organisation: For example, the local authority, court or service they work for
       */
      organisation?: string;
      /**
       * Describe their role
       */
      roleDescription?: string;
    }[],
  ];
  /**
   * Risks: Tell us about each risk, even if the level is low
   */
  risks: {
    /**
     * Absconding and missing episodes
     */
    absconding: {
      /**
       * Level of risk from absconding and missing episodes
       */
      level: ('none' | 'low' | 'medium' | 'high') & string;
      /**
       * Describe the risk from absconding and missing episodes: Include what happened, how often, and what has helped to reduce the risk
       */
      description?: string;
      /**
       * Date of the last incident: If you do not know the exact date, give your best estimate
       */
      lastIncidentDate?: string;
    };
    /**
     * Child sexual exploitation
     */
    sexualExploitation: {
      /**
       * Level of risk from child sexual exploitation
       */
      level: ('none' | 'low' | 'medium' | 'high') & string;
      /**
       * Describe the risk from child sexual exploitation: Include what happened, how often, and what has helped to reduce the risk
       */
      description?: string;
      /**
       * Date of the last incident: If you do not know the exact date, give your best estimate
       */
      lastIncidentDate?: string;
    };
    /**
     * Criminal exploitation, county lines and gangs
     */
    criminalExploitation: {
      /**
       * Level of risk from criminal exploitation, county lines and gangs
       */
      level: ('none' | 'low' | 'medium' | 'high') & string;
      /**
       * Describe the risk from criminal exploitation, county lines and gangs: Include what happened, how often, and what has helped to reduce the risk
       */
      description?: string;
      /**
       * Date of the last incident: If you do not know the exact date, give your best estimate
       */
      lastIncidentDate?: string;
    };
    /**
     * Trafficking
     */
    trafficking: {
      /**
       * Level of risk from trafficking
       */
      level: ('none' | 'low' | 'medium' | 'high') & string;
      /**
       * Describe the risk from trafficking: Include what happened, how often, and what has helped to reduce the risk
       */
      description?: string;
      /**
       * Date of the last incident: If you do not know the exact date, give your best estimate
       */
      lastIncidentDate?: string;
    };
    /**
     * Self-harm and suicide attempts
     */
    selfHarm: {
      /**
       * Level of risk from self-harm and suicide attempts
       */
      level: ('none' | 'low' | 'medium' | 'high') & string;
      /**
       * Describe the risk from self-harm and suicide attempts: Include what happened, how often, and what has helped to reduce the risk
       */
      description?: string;
      /**
       * Date of the last incident: If you do not know the exact date, give your best estimate
       */
      lastIncidentDate?: string;
    };
    /**
     * Violence towards others
     */
    violence: {
      /**
       * Level of risk from violence towards others
       */
      level: ('none' | 'low' | 'medium' | 'high') & string;
      /**
       * Describe the risk from violence towards others: Include what happened, how often, and what has helped to reduce the risk
       */
      description?: string;
      /**
       * Date of the last incident: If you do not know the exact date, give your best estimate
       */
      lastIncidentDate?: string;
    };
    /**
     * Carrying or using weapons
     */
    weapons: {
      /**
       * Level of risk from carrying or using weapons
       */
      level: ('none' | 'low' | 'medium' | 'high') & string;
      /**
       * Describe the risk from carrying or using weapons: Include what happened, how often, and what has helped to reduce the risk
       */
      description?: string;
      /**
       * Date of the last incident: If you do not know the exact date, give your best estimate
       */
      lastIncidentDate?: string;
    };
    /**
     * Harmful sexual behaviour
     */
    harmfulSexualBehaviour: {
      /**
       * Level of risk from harmful sexual behaviour
       */
      level: ('none' | 'low' | 'medium' | 'high') & string;
      /**
       * Describe the risk from harmful sexual behaviour: Include what happened, how often, and what has helped to reduce the risk
       */
      description?: string;
      /**
       * Date of the last incident: If you do not know the exact date, give your best estimate
       */
      lastIncidentDate?: string;
    };
    /**
     * Fire-setting
     */
    fireSetting: {
      /**
       * Level of risk from fire-setting
       */
      level: ('none' | 'low' | 'medium' | 'high') & string;
      /**
       * Describe the risk from fire-setting: Include what happened, how often, and what has helped to reduce the risk
       */
      description?: string;
      /**
       * Date of the last incident: If you do not know the exact date, give your best estimate
       */
      lastIncidentDate?: string;
    };
    /**
     * Substance misuse
     */
    substanceMisuse: {
      /**
       * Level of risk from substance misuse
       */
      level: ('none' | 'low' | 'medium' | 'high') & string;
      /**
       * Describe the risk from substance misuse: Include what happened, how often, and what has helped to reduce the risk
       */
      description?: string;
      /**
       * Date of the last incident: If you do not know the exact date, give your best estimate
       */
      lastIncidentDate?: string;
    };
    /**
     * Online risk
     */
    onlineRisk: {
      /**
       * Level of risk from online risk
       */
      level: ('none' | 'low' | 'medium' | 'high') & string;
      /**
       * Describe the risk from online risk: Include what happened, how often, and what has helped to reduce the risk
       */
      description?: string;
      /**
       * Date of the last incident: If you do not know the exact date, give your best estimate
       */
      lastIncidentDate?: string;
    };
  };
  /**
   * Health
   */
  health: {
    /**
     * Does the child have any physical health needs?
     */
    physicalHealthNeeds: boolean;
    /**
     * Does the child take any medication?
     */
    takesMedication: boolean;
    /**
     * Does the child have any allergies?
     */
    hasAllergies: boolean;
    /**
     * Does the child have any mental health needs?
     */
    mentalHealthNeeds: boolean;
    /**
     * Is the child known to child and adolescent mental health services (CAMHS)?
     */
    camhsInvolvement: ('current' | 'past' | 'no') & string;
    /**
     * Does the child have a learning disability or are they neurodivergent?
     */
    learningDisabilityOrNeurodivergence: boolean;
    /**
     * GP practice: The name of the practice and the town. Leave blank if the child is not registered with a GP
     */
    gpPractice?: string;
    /**
     * Is the child pregnant?
     */
    pregnant?: ('yes' | 'no' | 'notKnown') & string;
    /**
     * Give details of the pregnancy: Include the expected due date, the midwife or clinic, and any care the child needs
     */
    pregnancyDetails?: string;
    /**
     * Describe the child’s physical health needs
     */
    physicalHealthDetails?: string;
    /**
     * What medication does the child take?: Include the dose, how often and who prescribed it
     */
    medicationDetails?: string;
    /**
     * Describe the child’s allergies: Include what happens and what to do in a reaction
     */
    allergyDetails?: string;
    /**
     * Describe the child’s mental health needs: Include any diagnosis and any hospital admissions
     */
    mentalHealthDetails?: string;
    /**
     * Describe the child’s learning disability or neurodivergence: For example, autism or ADHD: include any diagnosis and what helps the child
     */
    learningDisabilityDetails?: string;
  };
  /**
   * Education and offending
   */
  educationAndOffending: {
    /**
     * What education or training does the child receive?
     */
    educationProvision: ('mainstream' | 'special' | 'alternative' | 'college' | 'home' | 'none') &
      string;
    /**
     * Does the child have special educational needs?
     */
    specialEducationalNeeds: ('ehcp' | 'idp' | 'support' | 'no' | 'notKnown') & string;
    /**
     * Has the child been suspended or excluded in the last 12 months?
     */
    exclusions: boolean;
    /**
     * Is the child working with a youth offending team?
     */
    youthOffendingInvolvement: boolean;
    /**
     * Name of the school, college or provider
     */
    provider?: string;
    /**
     * Attendance this school year: As a percentage, for example 62
     */
    attendancePercent?: number;
    /**
     * Give details of the suspensions or exclusions: Include the dates and reasons
     */
    exclusionDetails?: string;
    /**
     * What offences has the child been charged with or convicted of?: Include any outstanding charges and the dates of any court appearances
     */
    charges?: string;
    /**
     * What bail conditions is the child subject to?: Leave blank if the child is not on bail
     */
    bailConditions?: string;
  };
  /**
   * Placement requirements
   */
  placement: {
    /**
     * What should the placement achieve?
     */
    purpose: string;
    /**
     * When is the placement needed by?: This can be today. For example, 1 12 2026
     */
    requiredByDate: string;
    /**
     * How long do you expect the child to need the placement?
     */
    expectedLength: ('upTo72Hours' | 'upTo3Months' | '3To6Months' | 'over6Months') & string;
    /**
     * Which region would you prefer?: There are no secure children’s homes in London or the West Midlands
     */
    preferredRegion: (
      | 'North East'
      | 'North West'
      | 'Yorkshire and the Humber'
      | 'East Midlands'
      | 'East of England'
      | 'South East'
      | 'South West'
      | 'Wales'
      | 'any'
    ) &
      string;
    /**
     * Furthest distance from the child’s home area: In miles. Leave blank if any distance is acceptable
     */
    maxDistanceMiles?: number;
    /**
     * Is there anything the home should consider about the other children living there?: For example, known associates, gang affiliations or children the child should not be placed with
     */
    groupMix?: string;
    /**
     * Does the child have any specialist needs the home must meet?: For example, therapeutic support, dietary or cultural needs
     */
    specialistNeeds?: string;
    /**
     * What is the plan for the child’s contact with family and others?
     */
    contactPlan: string;
    /**
     * What is the plan for when the child leaves secure accommodation?
     */
    exitPlan: string;
    /**
     * Has funding for the placement been authorised?
     */
    fundingAuthorised: boolean;
    /**
     * Who authorised the funding?: Their name and job title
     */
    fundingAuthorisedBy?: string;
  };
  /**
   * Documents: Upload PDF, Word (DOCX), PNG or JPEG files, each smaller than 10MB
   */
  attachments: {
    /**
     * Care plan: The child’s current care plan
     */
    carePlan: string;
    /**
     * Chronology: A chronology of significant events in the child’s life
     */
    chronology: string;
    /**
     * Risk assessments: You can upload up to 10 files
     *
     * @minItems 1
     * @maxItems 10
     */
    riskAssessments:
      | [Document]
      | [Document, Document]
      | [Document, Document, Document]
      | [Document, Document, Document, Document]
      | [Document, Document, Document, Document, Document]
      | [Document, Document, Document, Document, Document, Document]
      | [Document, Document, Document, Document, Document, Document, Document]
      | [Document, Document, Document, Document, Document, Document, Document, Document]
      | [Document, Document, Document, Document, Document, Document, Document, Document, Document]
      | [
          Document,
          Document,
          Document,
          Document,
          Document,
          Document,
          Document,
          Document,
          Document,
          Document,
        ];
    /**
     * Other documents: For example, a youth offending team report or CAMHS assessment. You can upload up to 10 files
     *
     * @maxItems 10
     */
    otherDocuments?:
      | []
      | [Document]
      | [Document, Document]
      | [Document, Document, Document]
      | [Document, Document, Document, Document]
      | [Document, Document, Document, Document, Document]
      | [Document, Document, Document, Document, Document, Document]
      | [Document, Document, Document, Document, Document, Document, Document]
      | [Document, Document, Document, Document, Document, Document, Document, Document]
      | [Document, Document, Document, Document, Document, Document, Document, Document, Document]
      | [
          Document,
          Document,
          Document,
          Document,
          Document,
          Document,
          Document,
          Document,
          Document,
          Document,
        ];
    /**
     * Secure accommodation order: The order granted by the court
     */
    courtOrder?: string;
  };
  /**
   * Declaration
   */
  declaration: {
    /**
     * I confirm that the information in this referral is accurate and complete, to the best of my knowledge
     */
    accuracy: true;
    /**
     * I understand that this referral will be shared with secure children’s homes, as described in the privacy notice: The information will only be used to find the child a placement
     */
    dataProtection: true;
    /**
     * Your full name
     */
    signOffName: string;
    /**
     * Your job title
     */
    signOffRole: string;
    /**
     * Date of sign-off
     */
    signOffDate: string;
  };
}
