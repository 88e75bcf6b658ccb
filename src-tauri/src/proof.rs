//! Proof from the screen, made ready for the store: photos decoded and downscaled to at most
//! [`MAX_PHOTO_EDGE`] pixels as JPEG, signatures checked to be more than an empty pad.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use image::ImageReader;
use image::codecs::jpeg::JpegEncoder;
use lastmile_protocol::ui::SignatureUi;

use crate::error::CommandError;

/// The longest edge of a stored photo.
pub const MAX_PHOTO_EDGE: u32 = 1600;
/// JPEG quality of stored photos: readable house numbers and labels at about 200–400 KB.
const JPEG_QUALITY: u8 = 80;
/// Pictures larger than this are refused before decoding (a 50-megapixel camera is enough).
const MAX_PIXELS: u64 = 50_000_000;
/// A signature needs at least this many points in all; a tap is not a signature.
const MIN_SIGNATURE_POINTS: usize = 5;

/// Bytes from the screen's base64 (a bare string or a `data:` URL).
pub fn decode_b64(what: &str, b64: &str) -> Result<Vec<u8>, CommandError> {
    let body = b64.split_once(";base64,").map_or(b64, |(_, body)| body);
    STANDARD
        .decode(body.trim())
        .map_err(|e| CommandError::Input(format!("{what}: not base64: {e}")))
}

/// The photo as stored: decoded (any common format), turned upright is left to the camera,
/// scaled so its longest edge is at most [`MAX_PHOTO_EDGE`], encoded as JPEG.
pub fn photo_jpeg(bytes: &[u8]) -> Result<Vec<u8>, CommandError> {
    let reader = ImageReader::new(std::io::Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| CommandError::Photo(e.to_string()))?;
    let (w, h) = reader
        .into_dimensions()
        .map_err(|e| CommandError::Photo(e.to_string()))?;
    if u64::from(w) * u64::from(h) > MAX_PIXELS {
        return Err(CommandError::Photo(format!(
            "{w}×{h} pixels is more than this app accepts"
        )));
    }
    let image = image::load_from_memory(bytes).map_err(|e| CommandError::Photo(e.to_string()))?;
    let image = if w.max(h) > MAX_PHOTO_EDGE {
        image.resize(
            MAX_PHOTO_EDGE,
            MAX_PHOTO_EDGE,
            image::imageops::FilterType::Triangle,
        )
    } else {
        image
    };
    let mut out = Vec::with_capacity(256 * 1024);
    JpegEncoder::new_with_quality(&mut out, JPEG_QUALITY)
        .encode_image(&image.to_rgb8())
        .map_err(|e| CommandError::Photo(e.to_string()))?;
    Ok(out)
}

/// The photo from the screen's base64, ready to store; `None` when none was taken.
pub fn photo_from_b64(b64: Option<&str>) -> Result<Option<Vec<u8>>, CommandError> {
    b64.map(|b64| photo_jpeg(&decode_b64("photo", b64)?))
        .transpose()
}

/// A signature as stored: the strokes as JSON, and the pad's PNG.
#[derive(Debug, PartialEq)]
pub struct Signature {
    pub strokes_json: Vec<u8>,
    pub png: Vec<u8>,
}

impl Signature {
    /// The two files the store keeps of a signature: the strokes, then the image.
    pub fn blobs(&self) -> [lastmile_store::BlobInput<'_>; 2] {
        use lastmile_store::{BlobInput, BlobKind};
        [
            BlobInput {
                kind: BlobKind::SignatureStrokes,
                bytes: &self.strokes_json,
            },
            BlobInput {
                kind: BlobKind::SignatureImage,
                bytes: &self.png,
            },
        ]
    }
}

/// [`signature`] of the pad a screen sent, if it sent one.
pub fn signature_of(sig: Option<&SignatureUi>) -> Result<Option<Signature>, CommandError> {
    Ok(sig.map(signature).transpose()?.flatten())
}

/// A signature ready to store. `None` when the pad holds (next to) nothing, so the store's
/// rule "signature required" speaks for itself.
pub fn signature(sig: &SignatureUi) -> Result<Option<Signature>, CommandError> {
    let points: usize = sig.strokes.iter().map(Vec::len).sum();
    if points < MIN_SIGNATURE_POINTS {
        return Ok(None);
    }
    let png = decode_b64("signature image", &sig.png_b64)?;
    let format = image::guess_format(&png)
        .map_err(|e| CommandError::Input(format!("signature image: {e}")))?;
    if format != image::ImageFormat::Png {
        return Err(CommandError::Input(format!(
            "signature image: expected PNG, got {format:?}"
        )));
    }
    let strokes = serde_json::to_vec(&serde_json::json!({
        "width": sig.width,
        "height": sig.height,
        "strokes": sig.strokes,
    }))
    .map_err(|e| CommandError::Input(format!("signature strokes: {e}")))?;
    Ok(Some(Signature {
        strokes_json: strokes,
        png,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(w: u32, h: u32) -> Vec<u8> {
        let img = image::RgbImage::from_fn(w, h, |x, y| {
            image::Rgb([(x % 256) as u8, (y % 256) as u8, 90])
        });
        let mut out = std::io::Cursor::new(Vec::new());
        img.write_to(&mut out, image::ImageFormat::Png).unwrap();
        out.into_inner()
    }

    #[test]
    fn a_large_photo_is_scaled_to_1600_px_jpeg_keeping_its_shape() {
        let jpeg = photo_jpeg(&png(4000, 3000)).unwrap();
        assert_eq!(
            image::guess_format(&jpeg).unwrap(),
            image::ImageFormat::Jpeg
        );
        let img = image::load_from_memory(&jpeg).unwrap();
        assert_eq!((img.width(), img.height()), (1600, 1200));
    }

    #[test]
    fn a_small_photo_keeps_its_size() {
        let img = image::load_from_memory(&photo_jpeg(&png(640, 480)).unwrap()).unwrap();
        assert_eq!((img.width(), img.height()), (640, 480));
    }

    #[test]
    fn a_file_that_is_no_picture_is_refused_clearly() {
        let err = photo_jpeg(b"%PDF-1.4 not a picture").unwrap_err();
        assert!(matches!(err, CommandError::Photo(_)), "{err:?}");
        assert!(decode_b64("photo", "***").is_err());
        assert_eq!(
            decode_b64("photo", "data:image/png;base64,AAEC").unwrap(),
            vec![0, 1, 2]
        );
    }

    #[test]
    fn an_empty_pad_or_a_tap_is_no_signature() {
        let pad = |strokes: Vec<Vec<[f32; 3]>>| SignatureUi {
            strokes,
            width: 300,
            height: 150,
            png_b64: STANDARD.encode(png(300, 150)),
        };
        assert_eq!(signature(&pad(vec![])).unwrap(), None);
        assert_eq!(signature(&pad(vec![vec![[1.0, 1.0, 0.0]]])).unwrap(), None);
        let drawn = pad(vec![
            (0..20)
                .map(|i| [i as f32 * 5.0, 40.0, i as f32 * 16.0])
                .collect(),
        ]);
        let sig = signature(&drawn).unwrap().unwrap();
        let json: serde_json::Value = serde_json::from_slice(&sig.strokes_json).unwrap();
        assert_eq!(json["strokes"][0].as_array().unwrap().len(), 20);
        assert_eq!(
            image::guess_format(&sig.png).unwrap(),
            image::ImageFormat::Png
        );
    }
}
