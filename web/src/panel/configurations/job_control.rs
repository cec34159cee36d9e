//! A job of the configurations panel as the page sees it: its state, the inputs it ran
//! with, its progress and its cancel button.

use leptos::prelude::*;

use crate::jobs::{spawn, Job, JobHandle, Message, Outcome, Venue};

/// A job's state, as the page shows it.
#[derive(Debug, Clone, PartialEq)]
pub enum JobState {
    /// Not run yet.
    Idle,
    /// Under way.
    Running {
        /// Units done.
        done: usize,
        /// Units in all (0 while starting).
        total: usize,
        /// Where it runs.
        venue: Venue,
    },
    /// Finished.
    Done(Outcome),
    /// Could not run.
    Failed(String),
    /// Stopped by the person.
    Cancelled,
}

/// A job, its state, and the inputs it ran with.
#[derive(Clone, Copy)]
pub struct JobControl {
    /// Its state.
    pub state: RwSignal<JobState>,
    handle: StoredValue<Option<JobHandle>, LocalStorage>,
    /// The job last started, if any.
    pub inputs: RwSignal<Option<Job>>,
}

impl JobControl {
    /// No job yet; a job under way is cancelled when the panel goes away.
    pub fn new() -> JobControl {
        let control = JobControl {
            state: RwSignal::new(JobState::Idle),
            handle: StoredValue::new_local(None),
            inputs: RwSignal::new(None),
        };
        on_cleanup(move || {
            if let Some(handle) = control.handle.try_update_value(Option::take).flatten() {
                handle.cancel();
            }
        });
        control
    }

    /// Starts `job`, cancelling the one under way.
    pub fn start(self, job: Job) {
        if let Some(handle) = self.handle.try_update_value(Option::take).flatten() {
            handle.cancel();
        }
        self.inputs.set(Some(job.clone()));
        self.state.set(JobState::Running { done: 0, total: 0, venue: Venue::Starting });
        let state = self.state;
        let handle = spawn(job, move |message, venue| {
            let next = match message {
                Message::Ready => return,
                Message::Progress { done, total } => JobState::Running { done, total, venue },
                Message::Done(outcome) => JobState::Done(outcome),
                Message::Failed(e) => JobState::Failed(e),
            };
            state.try_set(next);
        });
        self.handle.set_value(Some(handle));
    }

    /// Stops the job under way.
    pub fn cancel(self) {
        if let Some(handle) = self.handle.try_update_value(Option::take).flatten() {
            handle.cancel();
        }
        self.state.set(JobState::Cancelled);
    }

    /// Whether a job is under way.
    pub fn running(self) -> Signal<bool> {
        Signal::derive(move || matches!(self.state.get(), JobState::Running { .. }))
    }
}

/// The progress of a job, its venue, and a cancel button.
#[component]
pub fn JobStatus(
    /// The job.
    control: JobControl,
    /// What a unit is, plural: `configurations`, `paths`.
    unit: &'static str,
    /// The `data-testid` prefix.
    testid: &'static str,
) -> impl IntoView {
    move || match control.state.get() {
        JobState::Running { done, total, venue } => {
            let place = match venue {
                Venue::Starting => "starting the background worker…",
                Venue::Worker => "in a background worker: the page stays free to use.",
                Venue::Page => "in this page (the background worker could not start), a slice at a time.",
            };
            view! {
                <div class="progress" role="status" data-testid=format!("{testid}-progress")>
                    <progress max=total.max(1) value=done></progress>
                    <span data-testid=format!("{testid}-progress-text")>
                        {if total == 0 { "Starting: ".to_owned() } else { format!("{done} of {total} {unit}, ") }}
                        {place}
                    </span>
                    <button type="button" data-testid=format!("{testid}-cancel") on:click=move |_| control.cancel()>
                        "Cancel"
                    </button>
                </div>
            }
            .into_any()
        }
        JobState::Failed(message) => {
            view! { <p class="error" role="alert" data-testid=format!("{testid}-error")>{message}</p> }.into_any()
        }
        JobState::Cancelled => {
            view! { <p class="note" data-testid=format!("{testid}-cancelled")>"Cancelled."</p> }.into_any()
        }
        _ => ().into_any(),
    }
}
