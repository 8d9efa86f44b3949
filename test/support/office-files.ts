import { strToU8, zipSync } from 'fflate';

const mainTypes = {
  docx: ['/word/document.xml', 'wordprocessingml.document.main+xml'],
  xlsx: ['/xl/workbook.xml', 'spreadsheetml.sheet.main+xml'],
} as const;

/** A minimal Office Open XML file: `[Content_Types].xml` naming its main part, and that part. */
export function officeFile(kind: 'docx' | 'xlsx'): Buffer {
  const [part, type] = mainTypes[kind];
  const contentTypes =
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
    `<Override PartName="${part}" ContentType="application/vnd.openxmlformats-officedocument.${type}"/></Types>`;
  return Buffer.from(
    zipSync({ '[Content_Types].xml': strToU8(contentTypes), [part.slice(1)]: strToU8('<x/>') }),
  );
}
