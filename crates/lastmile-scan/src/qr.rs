//! QR codes the app shows: the driver's check-in pass on the phone, for the station tablet's
//! camera. Encoded with rxing's QR writer (the same crate that decodes them), so what one
//! device draws the other reads.

use image::{GrayImage, Luma};
use rxing::Writer as _;

/// Why a text cannot be drawn as a QR code (too long for the largest version).
#[derive(Debug, thiserror::Error)]
#[error("cannot draw a QR code of this text: {0}")]
pub struct QrError(String);

/// `text` as a QR code: black modules on white, `scale` pixels per module, with the
/// standard quiet zone of four modules.
pub fn qr_image(text: &str, scale: u32) -> Result<GrayImage, QrError> {
    let matrix = rxing::qrcode::QRCodeWriter
        .encode(text, &rxing::BarcodeFormat::QR_CODE, 0, 0)
        .map_err(|e| QrError(e.to_string()))?;
    let scale = scale.max(1);
    let (w, h) = (matrix.width(), matrix.height());
    Ok(GrayImage::from_fn(w * scale, h * scale, |x, y| {
        if matrix.get(x / scale, y / scale) {
            Luma([0])
        } else {
            Luma([255])
        }
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Symbology, decode_image};

    #[test]
    fn a_drawn_pass_reads_back_from_its_png() {
        let pass = "LMCI1-0123456789ABCDEF0123456789ABCDEF";
        let img = qr_image(pass, 8).expect("a QR code");
        assert!(
            img.width() >= 8 * 25,
            "at least version 2 with its quiet zone"
        );
        let mut png = Vec::new();
        image::DynamicImage::ImageLuma8(img)
            .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
            .expect("PNG");
        let found = decode_image(&png).expect("decoded");
        assert_eq!(found.len(), 1);
        assert_eq!(
            (found[0].format.clone(), found[0].text.as_str()),
            (Symbology::QrCode, pass)
        );
    }

    #[test]
    fn nothing_to_draw_is_an_error() {
        assert!(qr_image("", 4).is_err());
    }
}
