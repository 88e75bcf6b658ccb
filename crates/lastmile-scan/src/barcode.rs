//! Barcode decoding from a still image (a webcam frame or a chosen photo on desktop).
//!
//! The image bytes are decoded with `image` into 8-bit luma and handed to `rxing` (the Rust port
//! of ZXing). We do not enable rxing's own `image` feature: it pins an exact `image` version and
//! pulls `imageproc`, which we do not need for this.
//!
//! Decoding runs a ladder of passes, cheapest first, and stops at the first pass that finds
//! anything: a plain multi-symbol pass, then `TryHarder`, then the `PureBarcode` hint (needed for
//! MaxiCode and for clean generated codes), then the image rotated by 90°, 180° and 270°. Large
//! photos are tried downscaled first; when that finds nothing, the full resolution runs too, so
//! downscaling only ever saves time and never loses a code.

use std::collections::HashSet;

use image::{DynamicImage, GrayImage, imageops};
use rxing::{
    BarcodeFormat, BinaryBitmap, DecodeHints, Exceptions, Luma8LuminanceSource,
    MultiUseMultiFormatReader, RXingResult,
    common::HybridBinarizer,
    multi::{GenericMultipleBarcodeReader, MultipleBarcodeReader},
};

/// Images whose longer side exceeds this are first tried at this size (phone photos are often
/// 4000 px wide; label barcodes stay readable at 1600 px and decoding is several times faster).
const DOWNSCALE_LONG_SIDE: u32 = 1600;

/// Refuse absurd images before allocating their pixels (a 100 MP luma buffer is already 100 MB).
const MAX_PIXELS: u64 = 100_000_000;

/// The symbologies a parcel label carries, plus a catch-all for the rest.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Symbology {
    /// Code 128, including GS1-128 (the 1-D code on most parcel labels).
    Code128,
    /// Data Matrix (DHL / Deutsche Post piece labels).
    DataMatrix,
    /// QR Code.
    QrCode,
    /// PDF417 (FedEx, US postal labels).
    Pdf417,
    /// Interleaved 2 of 5, e.g. ITF-14 on outer cartons.
    Itf,
    /// MaxiCode (the UPS 2-D code).
    MaxiCode,
    /// Anything else rxing decodes, named as rxing names it (e.g. `rss 14`, `ean 13`).
    Other(String),
}

impl Symbology {
    fn from_rxing(format: &BarcodeFormat) -> Self {
        match format {
            BarcodeFormat::CODE_128 => Self::Code128,
            BarcodeFormat::DATA_MATRIX => Self::DataMatrix,
            BarcodeFormat::QR_CODE => Self::QrCode,
            BarcodeFormat::PDF_417 => Self::Pdf417,
            BarcodeFormat::ITF => Self::Itf,
            BarcodeFormat::MAXICODE => Self::MaxiCode,
            other => Self::Other(other.to_string()),
        }
    }
}

/// One symbol found in an image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// Which symbology it was.
    pub format: Symbology,
    /// The decoded content, byte for byte (control characters such as GS 0x1D are kept).
    pub text: String,
}

/// Why an image could not be scanned. Every variant is the caller's input, not our fault:
/// the UI shows "no barcode found, try again closer / type the number".
#[derive(Debug, thiserror::Error)]
pub enum ScanError {
    /// The bytes are not an image format we can read (PNG, JPEG, GIF, BMP, WebP).
    #[error("the file is not a readable image: {0}")]
    UnreadableImage(String),
    /// The image header claims more pixels than we are willing to allocate.
    #[error("the image is too large ({width}×{height})")]
    TooLarge { width: u32, height: u32 },
    /// The image was read but no pass of the ladder found a barcode in it.
    #[error("no barcode found in the image")]
    NothingFound,
}

/// Decodes every barcode in an encoded image (PNG, JPEG, GIF, BMP or WebP bytes).
///
/// Returns at least one symbol, or [`ScanError::NothingFound`]. Symbols are deduplicated by
/// format and text.
pub fn decode_image(bytes: &[u8]) -> Result<Vec<Decoded>, ScanError> {
    let reader = image::ImageReader::new(std::io::Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| ScanError::UnreadableImage(e.to_string()))?;
    let (width, height) = reader
        .into_dimensions()
        .map_err(|e| ScanError::UnreadableImage(e.to_string()))?;
    if u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(ScanError::TooLarge { width, height });
    }
    let image = contained(|| image::load_from_memory(bytes))
        .ok_or_else(|| ScanError::UnreadableImage("the image decoder failed on this file".into()))?
        .map_err(|e| ScanError::UnreadableImage(e.to_string()))?;
    decode_luma(&to_luma(&image))
}

/// Decodes every barcode in an 8-bit grayscale image (for callers that already hold pixels,
/// e.g. a webcam frame). Same ladder and result as [`decode_image`].
pub fn decode_luma(image: &GrayImage) -> Result<Vec<Decoded>, ScanError> {
    let (width, height) = image.dimensions();
    if width == 0 || height == 0 {
        return Err(ScanError::NothingFound);
    }
    if width.max(height) > DOWNSCALE_LONG_SIDE {
        let small = downscale(image, DOWNSCALE_LONG_SIDE);
        let found = contained(|| ladder(&small)).unwrap_or_default();
        if !found.is_empty() {
            return Ok(found);
        }
    }
    let found = contained(|| ladder(image)).unwrap_or_default();
    if found.is_empty() {
        Err(ScanError::NothingFound)
    } else {
        Ok(found)
    }
}

/// Runs a third-party decoder and turns its panic into `None`. Crafted files make both
/// `png` 0.18.1 (a `PLTE` chunk whose length is no multiple of 3) and `rxing` 0.9.3 (the
/// MaxiCode detector's arithmetic overflow) panic; found by fuzzing (#16), the files are in
/// `crates/lastmile-fuzz/crashes/barcode/`. A scan of such a file is refused, not a crash.
fn contained<T>(decode: impl FnOnce() -> T) -> Option<T> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(decode)).ok()
}

fn to_luma(image: &DynamicImage) -> GrayImage {
    // Transparent pixels of generated PNGs are often black with alpha 0: flatten onto white
    // first, or the code disappears into a black background.
    if image.color().has_alpha() {
        let rgba = image.to_rgba8();
        let mut gray = GrayImage::new(rgba.width(), rgba.height());
        for (out, px) in gray.pixels_mut().zip(rgba.pixels()) {
            let [r, g, b, a] = px.0;
            let luma = (u32::from(r) * 299 + u32::from(g) * 587 + u32::from(b) * 114) / 1000;
            let a = u32::from(a);
            let flat = (luma * a + 255 * (255 - a)) / 255;
            out.0[0] = u8::try_from(flat).unwrap_or(u8::MAX);
        }
        gray
    } else {
        image.to_luma8()
    }
}

fn downscale(image: &GrayImage, long_side: u32) -> GrayImage {
    let (w, h) = image.dimensions();
    let scale = f64::from(long_side) / f64::from(w.max(h));
    // Truncation is fine: the sizes are positive and far below u32::MAX.
    let nw = ((f64::from(w) * scale).round() as u32).max(1);
    let nh = ((f64::from(h) * scale).round() as u32).max(1);
    imageops::resize(image, nw, nh, imageops::FilterType::Triangle)
}

/// The passes, cheapest first; returns the first non-empty result.
fn ladder(image: &GrayImage) -> Vec<Decoded> {
    let passes: [fn() -> DecodeHints; 3] = [
        DecodeHints::default,
        || DecodeHints {
            TryHarder: Some(true),
            ..DecodeHints::default()
        },
        || DecodeHints {
            TryHarder: Some(true),
            PureBarcode: Some(true),
            ..DecodeHints::default()
        },
    ];
    for hints in passes {
        let found = run_pass(image, hints());
        if !found.is_empty() {
            return found;
        }
    }
    let try_harder = || DecodeHints {
        TryHarder: Some(true),
        ..DecodeHints::default()
    };
    for rotated in [
        imageops::rotate90(image),
        imageops::rotate180(image),
        imageops::rotate270(image),
    ] {
        let found = run_pass(&rotated, try_harder());
        if !found.is_empty() {
            return found;
        }
    }
    Vec::new()
}

fn run_pass(image: &GrayImage, hints: DecodeHints) -> Vec<Decoded> {
    let (width, height) = image.dimensions();
    let Ok(source) = Luma8LuminanceSource::new(image.as_raw().clone(), width, height) else {
        return Vec::new();
    };
    let mut bitmap = BinaryBitmap::new(HybridBinarizer::new(source));
    let results: Result<Vec<RXingResult>, Exceptions> = if hints.PureBarcode == Some(true) {
        // A pure barcode fills the image: the multi-reader's sub-image search only gets in the
        // way, and MaxiCode is only readable this way.
        let mut reader = MultiUseMultiFormatReader::default();
        rxing::Reader::decode_with_hints(&mut reader, &mut bitmap, &hints).map(|r| vec![r])
    } else {
        let mut reader = GenericMultipleBarcodeReader::new(MultiUseMultiFormatReader::default());
        reader.decode_multiple_with_hints(&mut bitmap, &hints)
    };
    let mut seen = HashSet::new();
    results
        .unwrap_or_default()
        .into_iter()
        .map(|r| Decoded {
            format: Symbology::from_rxing(r.getBarcodeFormat()),
            text: r.getText().to_owned(),
        })
        .filter(|d| seen.insert((d.format.clone(), d.text.clone())))
        .collect()
}
