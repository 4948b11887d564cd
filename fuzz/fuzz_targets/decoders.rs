//! Feeds arbitrary bytes to every response type and error envelope the client decodes. A panic, an
//! abort or a stack overflow is a bug; a decode error is the expected answer to garbage.
#![no_main]

use finpass_client::types::*;
use libfuzzer_sys::fuzz_target;

fn decode<T: serde::de::DeserializeOwned>(bytes: &[u8]) {
    let _ = serde_json::from_slice::<T>(bytes);
}

fuzz_target!(|bytes: &[u8]| {
    // The first byte picks a decoder so that the corpus can specialise per type; the rest is the body.
    let Some((&pick, body)) = bytes.split_first() else { return };
    let decoders: [fn(&[u8]); 21] = [
        decode::<AaInitializeResponse>,
        decode::<AaFetchJsonReportResponse>,
        decode::<AaFetchStatementPdfResponse>,
        decode::<AaRefreshDataResponse>,
        decode::<BsaUploadStatementResponse>,
        decode::<BsaStatementResultResponse>,
        decode::<MultiBureauFetchResponse>,
        decode::<CorporateCinLookupResponse>,
        decode::<CorporateLlpinLookupResponse>,
        decode::<CorporatePanLookupResponse>,
        decode::<CorporateCompanyAutocompleteResponse>,
        decode::<ItrAnalyzeResponse>,
        decode::<ItrStatusResponse>,
        decode::<ItrFullDataResponse>,
        decode::<AaBsaInitializeResponse>,
        decode::<AaBsaStatusResponse>,
        decode::<AaBsaStatementResultResponse>,
        decode::<AaBsaAnalysisJsonResponse>,
        decode::<AaErrorEnvelope>,
        decode::<FinpassErrorEnvelope>,
        decode::<ItrErrorEnvelope>,
    ];
    decoders[usize::from(pick) % decoders.len()](body);
});
