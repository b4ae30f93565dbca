import data from './finance-endpoints.json' with { type: 'json' };

export interface Geography {
  code: string;
  name: string;
  /** The region as Unicode CLDR names it (ISO 3166 country or UN M.49 area code: `US`, `150` Europe), so a reader's language can name it. */
  region: string;
  /** Every endpoint URL of the geography, il101 first. */
  endpoints: string[];
}

/** The Electronic invoicing service endpoints by Azure geography (from the data file). */
export function financeEndpoints(): Geography[] {
  return data.geographies.map((geography) => ({
    code: geography.code,
    name: geography.name,
    region: geography.region,
    endpoints: geography.instances.map((instance) => data.urlPattern.replace('{geo}', geography.code).replace('{n}', String(instance))),
  }));
}
