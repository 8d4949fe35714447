/** The body formats the intake understands, from the Content-Type header (parameters ignored). */
export type MediaKind = "xml" | "json" | "csv";

export function mediaKind(contentType: string | null | undefined): MediaKind | undefined {
  const type = (contentType ?? "").split(";")[0].trim().toLowerCase();
  if (
    type === "text/xml" ||
    type === "application/xml" ||
    type === "application/soap+xml" ||
    type.endsWith("+xml")
  ) {
    return "xml";
  }
  if (type === "application/json" || type.endsWith("+json")) return "json";
  if (type === "text/csv" || type === "application/csv") return "csv";
  return undefined;
}
