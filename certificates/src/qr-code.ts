import QRCode from 'qrcode';

/** A certificate's QR code: a PNG data URL and an SVG document. */
export interface CertificateQr { png: string; svg: string }

// Quartile error correction, as the EU DCC guidelines recommend; the HC1 alphabet is QR's alphanumeric mode.
const QR_OPTIONS = { errorCorrectionLevel: 'Q', margin: 2 } as const;

export async function renderQr(hc1: string): Promise<CertificateQr> {
  const [png, svg] = await Promise.all([
    QRCode.toDataURL(hc1, { ...QR_OPTIONS, type: 'image/png', scale: 4 }),
    QRCode.toString(hc1, { ...QR_OPTIONS, type: 'svg' }),
  ]);
  return { png, svg };
}
