/**
 * Id of the `<script type="application/json">` that carries the report in the standalone `report.html`:
 * the engine writes it (report/html.ts), the report app reads it (webview/main.ts).
 */
export const EMBEDDED_REPORT_ELEMENT_ID = 'lethe-report';
