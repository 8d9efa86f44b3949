import { loadForms } from '../../src/forms/load-forms.js';
import { uploadExampleDocuments } from './upload-example-documents.js';

/**
 * Posts a referral through the JSON API as an integrator does: its documents uploaded first
 * with `token`, then the answers naming them. Returns the API's response.
 */
export async function postReferral(
  baseUrl: string,
  token: string,
  answers: Record<string, unknown>,
): Promise<Response> {
  const form = (await loadForms('forms')).get('secure-welfare-referral');
  if (!form) throw new Error('no secure-welfare-referral form in forms/');
  return fetch(`${baseUrl}/api/v1/forms/secure-welfare-referral/submissions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(await uploadExampleDocuments(baseUrl, token, form, answers)),
  });
}
