//! Waiters for the asynchronous flows: poll a status operation until it reaches a terminal state, with
//! a fixed interval and an overall deadline that ends in a typed timeout.
//!
//! What counts as "still running" is only what the docs name as in progress. Any other value, including
//! one the docs do not list (the AA-BSA lifecycle table is cut off, and its failure strings are unknown),
//! ends the wait and is returned to the caller to inspect: returning an unfamiliar status early is safer
//! than polling a denied consent until the deadline.
//!
//! A poll that fails with an error its operation's retry class calls retryable (a 5xx, a dropped
//! connection, a 429) does not end the wait: the next poll follows after the interval. Any other error
//! ends it. The last poll never outlives the deadline: each call's own deadline is what is left. A
//! wait that reaches its deadline ends in [`ErrorKind::WaitDeadline`], never in an HTTP `Timeout`.
//!
//! A waiter is a [`Call`] like any other: its output is the last poll's, metadata included.

use std::time::Duration;

use tokio::time::Instant;

use crate::Call;

use crate::types::{
    AaBsaJourneyStatus, AaBsaJourneyStatusKnown, AaBsaStatusResponse, BsaStatementResultResponse,
    BsaStatementStatus, BsaStatementStatusKnown, ItrJobStatus, ItrJobStatusKnown, ItrStatusRequest,
    ItrStatusResponse,
};
use crate::{Error, ErrorKind, Finpass};

/// Shortest time between two polls: an interval of zero would poll as fast as Finpass answers.
const MIN_INTERVAL: Duration = Duration::from_secs(1);

/// How often to poll and for how long. Defaults: every 5 s (the ITR docs advise 5–10 s) for up to
/// 10 minutes. Intervals below 1 s count as 1 s.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WaitOptions {
    interval: Duration,
    deadline: Duration,
}

impl Default for WaitOptions {
    fn default() -> Self {
        WaitOptions {
            interval: Duration::from_secs(5),
            deadline: Duration::from_secs(600),
        }
    }
}

impl WaitOptions {
    /// Poll every `interval` for at most `deadline`.
    ///
    /// ```
    /// use std::time::Duration;
    /// use finpass_client::WaitOptions;
    ///
    /// const ITR: WaitOptions = WaitOptions::new(Duration::from_secs(10), Duration::from_secs(900));
    /// let default = WaitOptions::new(Duration::from_secs(5), Duration::from_secs(600));
    /// assert_eq!(default, WaitOptions::default());
    /// ```
    pub const fn new(interval: Duration, deadline: Duration) -> Self {
        WaitOptions { interval, deadline }
    }
    /// Time between two polls (at least 1 s).
    ///
    /// ```
    /// use std::time::Duration;
    /// use finpass_client::WaitOptions;
    ///
    /// let every_ten_seconds = WaitOptions::default().interval(Duration::from_secs(10));
    /// assert_ne!(every_ten_seconds, WaitOptions::default());
    /// ```
    pub fn interval(mut self, interval: Duration) -> Self {
        self.interval = interval;
        self
    }
    /// Longest total wait; past it the waiter returns [`ErrorKind::WaitDeadline`].
    ///
    /// ```
    /// use std::time::Duration;
    /// use finpass_client::WaitOptions;
    ///
    /// let half_an_hour = WaitOptions::default().deadline(Duration::from_secs(30 * 60));
    /// assert_ne!(half_an_hour, WaitOptions::default());
    /// ```
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = deadline;
        self
    }
}

impl Finpass {
    /// Polls [`Finpass::aa_bsa_status`] until the journey leaves its documented in-progress states
    /// (`initiated`, `consent_pending`, `consent_granted`, or a `data_fetch…` value). Returns the
    /// final status response: check `data.status` for `analysis_complete`.
    ///
    /// ```no_run
    /// use finpass_client::WaitOptions;
    /// use finpass_client::types::{AaBsaJourneyStatus, AaBsaJourneyStatusKnown};
    /// # async fn run(finpass: finpass_client::Finpass) -> Result<(), finpass_client::Error> {
    /// let done = finpass
    ///     .wait_for_aa_bsa_journey("bsa_clnt_a1b2c3d4e5f6", WaitOptions::default())
    ///     .await?;
    /// let complete = AaBsaJourneyStatus::Known(AaBsaJourneyStatusKnown::AnalysisComplete);
    /// println!("analysed: {}", done.data.status == complete);
    /// # Ok(())
    /// # }
    /// ```
    pub fn wait_for_aa_bsa_journey(
        &self,
        client_id: &str,
        options: WaitOptions,
    ) -> Call<AaBsaStatusResponse> {
        let client_id = client_id.to_owned();
        self.poll(
            "aa_bsa_status",
            options,
            move |finpass| finpass.aa_bsa_status(client_id.as_str()),
            |r| aa_bsa_in_progress(&r.data.status),
            |r| label(&r.data.status),
        )
    }

    /// Polls [`Finpass::itr_status`] until the job is no longer `initiated` or `processing`. Returns
    /// the final status response: check `data.status` for `completed` or `failed`.
    ///
    /// ```no_run
    /// use std::time::Duration;
    /// use finpass_client::WaitOptions;
    /// # async fn run(finpass: finpass_client::Finpass) -> Result<(), finpass_client::Error> {
    /// let every_ten_seconds = WaitOptions::default().interval(Duration::from_secs(10));
    /// let job = finpass.wait_for_itr_job("itr_job_x9k2m4p7q1r8", every_ten_seconds).await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn wait_for_itr_job(&self, job_id: &str, options: WaitOptions) -> Call<ItrStatusResponse> {
        let request = ItrStatusRequest::builder().job_id(job_id);
        self.poll(
            "itr_status",
            options,
            move |finpass| finpass.itr_status(request.clone()),
            |r| itr_in_progress(&r.data.status),
            |r| label(&r.data.status),
        )
    }

    /// Polls [`Finpass::bsa_statement_result`] until the analysis is no longer `processing`. Returns
    /// the final result: check `status` for `completed` or `failed`.
    ///
    /// ```no_run
    /// use finpass_client::WaitOptions;
    /// use finpass_client::types::{BsaStatementStatus, BsaStatementStatusKnown};
    /// # async fn run(finpass: finpass_client::Finpass) -> Result<(), finpass_client::Error> {
    /// let result = finpass
    ///     .wait_for_bsa_statement("bank_statement_69753dcc_5b1c0a7e", WaitOptions::default())
    ///     .await?;
    /// if result.status == BsaStatementStatus::Known(BsaStatementStatusKnown::Failed) {
    ///     eprintln!("the statement could not be analysed");
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn wait_for_bsa_statement(
        &self,
        client_id: &str,
        options: WaitOptions,
    ) -> Call<BsaStatementResultResponse> {
        let client_id = client_id.to_owned();
        self.poll(
            "bsa_statement_result",
            options,
            move |finpass| finpass.bsa_statement_result(client_id.as_str()),
            |r| bsa_in_progress(&r.status),
            |r| label(&r.status),
        )
    }

    /// Polls with `call` until `in_progress` says no, the deadline comes, or an error that a retry
    /// could not fix ends the wait.
    fn poll<T: Send + 'static>(
        &self,
        operation: &'static str,
        options: WaitOptions,
        call: impl Fn(&Finpass) -> Call<T> + Send + 'static,
        in_progress: impl Fn(&T) -> bool + Send + 'static,
        describe: impl Fn(&T) -> String + Send + 'static,
    ) -> Call<T> {
        let finpass = self.clone();
        Call::new(async move {
            let interval = options.interval.max(MIN_INTERVAL);
            let started = Instant::now();
            // Slept time is counted too, so a replaced (instant) sleep function still reaches the
            // deadline.
            let mut slept = Duration::ZERO;
            loop {
                let waited = started.elapsed().max(slept);
                let left = options.deadline.saturating_sub(waited);
                let bounded = finpass.with_settings(|s| s.deadline = s.deadline.min(left));
                let (last, pause) = match call(&bounded).with_response().await {
                    Ok(response) if !in_progress(&*response) => return Ok(response),
                    Ok(response) => (
                        format!("the last status was `{}`", describe(&*response)),
                        interval,
                    ),
                    // A rate limit asking for more than the interval is honoured (an unreadable one
                    // asks for "too long", which ends the wait).
                    Err(e) if e.is_retryable() => (
                        format!("the last poll failed: {e}"),
                        interval.max(e.retry_after().unwrap_or_default()),
                    ),
                    Err(e) => return Err(e),
                };
                let waited = started.elapsed().max(slept);
                // A poll needs time left after the pause; `>=` also ends the wait when a huge
                // deadline and pause would saturate to the same value.
                if pause >= options.deadline.saturating_sub(waited) {
                    let mut e = Error::new(
                        ErrorKind::WaitDeadline,
                        format!("gave up waiting after {:?}: {last}", options.deadline),
                    );
                    e.operation = Some(operation);
                    return Err(e);
                }
                (finpass.runtime().sleep)(pause).await;
                slept = slept.saturating_add(pause);
            }
        })
    }
}

/// The wire value of a status, for messages (the open enums have no `Display`).
fn label<T: serde::Serialize>(status: &T) -> String {
    serde_json::to_value(status)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

fn aa_bsa_in_progress(status: &AaBsaJourneyStatus) -> bool {
    match status {
        AaBsaJourneyStatus::Known(known) => {
            !matches!(known, AaBsaJourneyStatusKnown::AnalysisComplete)
        }
        AaBsaJourneyStatus::Other(other) => other.starts_with("data_fetch"),
    }
}

fn itr_in_progress(status: &ItrJobStatus) -> bool {
    matches!(
        status,
        ItrJobStatus::Known(ItrJobStatusKnown::Initiated | ItrJobStatusKnown::Processing)
    )
}

fn bsa_in_progress(status: &BsaStatementStatus) -> bool {
    matches!(
        status,
        BsaStatementStatus::Known(BsaStatementStatusKnown::Processing)
    )
}
