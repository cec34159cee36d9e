//! Long analyses as jobs: a grid of configurations, or a Monte Carlo run, sent to a Web
//! Worker (the `uma-worker` binary) so that the page stays responsive, with progress
//! reports and a cancel that stops the worker at once.
//!
//! The page and the worker speak JSON: the page posts one [`Job`], the worker answers
//! [`Message::Ready`] when loaded, then [`Message::Progress`] at most every 50 ms and one
//! [`Message::Done`] or [`Message::Failed`]. The work itself is the engine's
//! ([`GridRun`], [`MonteCarlo`]), advanced one configuration or one path at a time.
//!
//! When the worker cannot start (a page opened without its files, as in the browser
//! tests), [`spawn`] runs the same job in the page, in slices of about 12 ms between
//! which the page handles its events, and says so.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use serde::{Deserialize, Serialize};
use uma_engine::{
    Decimal, Grid, GridRow, GridRun, MarketPath, MonteCarlo, MonteCarloRow, RandomMarket, Scenario, Variant,
};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// The worker's loader script, as Trunk emits it next to the page.
pub const WORKER_URL: &str = "./uma-worker_loader.js";

/// The prices a simulation runs on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Market {
    /// A prices CSV (the shipped history or a person's file) and, for each model, the
    /// column it follows.
    Prices {
        /// The CSV text.
        csv: String,
        /// `(model id, column)` pairs.
        columns: Vec<(String, String)>,
    },
    /// A seeded random market whose models are the strategy's.
    Random(RandomMarket),
}

impl Market {
    /// The market path, one column per model.
    ///
    /// # Errors
    ///
    /// The engine's message when the CSV, the assignment or the random market is invalid.
    pub fn path(&self) -> Result<MarketPath, String> {
        match self {
            Market::Prices { csv, columns } => {
                MarketPath::from_csv(csv).and_then(|data| data.select(columns)).map_err(|e| e.to_string())
            }
            Market::Random(market) => MarketPath::random(market).map_err(|e| e.to_string()),
        }
    }
}

/// A long analysis.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Job {
    /// Every configuration of a grid on one market.
    Grid {
        /// The scenario.
        scenario: Scenario,
        /// The market.
        market: Market,
        /// The configurations.
        grid: Grid,
    },
    /// The configurations on many random markets.
    MonteCarlo {
        /// The scenario.
        scenario: Scenario,
        /// The random market (path `k` uses seed `path_seed(seed, k)`).
        market: RandomMarket,
        /// The configurations.
        variants: Vec<Variant>,
        /// How many paths.
        paths: usize,
        /// Trading cost, basis points.
        cost_bps: Decimal,
    },
}

/// What a job produces.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Outcome {
    /// A grid's rows.
    Grid(Vec<GridRow>),
    /// A Monte Carlo run's rows.
    MonteCarlo(Vec<MonteCarloRow>),
}

/// What the worker tells the page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Message {
    /// The worker is loaded and listening.
    Ready,
    /// So many units (configurations or paths) of so many are done.
    Progress {
        /// Units done.
        done: usize,
        /// Units in all.
        total: usize,
    },
    /// The job's result.
    Done(Outcome),
    /// Why the job could not run.
    Failed(String),
}

/// A job under way.
pub enum Running {
    /// A grid.
    Grid(Box<GridRun>),
    /// A Monte Carlo run.
    MonteCarlo(Box<MonteCarlo>),
}

impl Job {
    /// Checks the job and prepares it.
    ///
    /// # Errors
    ///
    /// The engine's message for an invalid scenario, market, grid or path count.
    pub fn start(self) -> Result<Running, String> {
        match self {
            Job::Grid { scenario, market, grid } => {
                let path = market.path()?;
                GridRun::new(&scenario, &path, &grid).map(|run| Running::Grid(Box::new(run)))
            }
            Job::MonteCarlo { scenario, market, variants, paths, cost_bps } => {
                MonteCarlo::new(&scenario, &market, &variants, paths, cost_bps)
                    .map(|run| Running::MonteCarlo(Box::new(run)))
            }
        }
        .map_err(|e| e.to_string())
    }
}

impl Running {
    /// Units done and in all.
    pub fn progress(&self) -> (usize, usize) {
        match self {
            Running::Grid(run) => (run.done(), run.total()),
            Running::MonteCarlo(run) => (run.done(), run.total()),
        }
    }

    /// Whether every unit is done.
    pub fn is_finished(&self) -> bool {
        let (done, total) = self.progress();
        done >= total
    }

    /// Runs the next unit.
    ///
    /// # Errors
    ///
    /// The engine's message.
    pub fn advance(&mut self) -> Result<(), String> {
        match self {
            Running::Grid(run) => run.advance(),
            Running::MonteCarlo(run) => run.advance(),
        }
        .map_err(|e| e.to_string())
    }

    /// The result.
    pub fn outcome(self) -> Outcome {
        match self {
            Running::Grid(run) => Outcome::Grid(run.into_rows()),
            Running::MonteCarlo(run) => Outcome::MonteCarlo(run.rows()),
        }
    }

    /// Runs units until `budget_ms` have passed (at least one), calling `now()` for the
    /// time; returns whether the job is finished.
    ///
    /// # Errors
    ///
    /// The engine's message.
    pub fn run_for(&mut self, budget_ms: f64, now: impl Fn() -> f64) -> Result<bool, String> {
        let start = now();
        while !self.is_finished() {
            self.advance()?;
            if now() - start >= budget_ms {
                break;
            }
        }
        Ok(self.is_finished())
    }
}

/// Encodes a message for `postMessage`.
pub fn encode<T: Serialize>(value: &T) -> JsValue {
    JsValue::from_str(&serde_json::to_string(value).unwrap_or_default())
}

/// Decodes a message from `postMessage`.
///
/// # Errors
///
/// When the data is not a message of this protocol.
pub fn decode<T: for<'de> Deserialize<'de>>(data: &JsValue) -> Result<T, String> {
    let text = data.as_string().ok_or("the message is not text")?;
    serde_json::from_str(&text).map_err(|e| e.to_string())
}

/// Where a job runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Venue {
    /// Starting the worker.
    Starting,
    /// In a background worker.
    Worker,
    /// In the page, because the worker could not start.
    Page,
}

/// A job that was spawned; dropping it does not stop it, [`JobHandle::cancel`] does.
#[derive(Clone)]
pub struct JobHandle {
    inner: Rc<Inner>,
}

/// An event listener handed to JavaScript, kept alive while the worker runs.
type Listener = Closure<dyn FnMut(web_sys::Event)>;

struct Inner {
    worker: RefCell<Option<web_sys::Worker>>,
    cancelled: Cell<bool>,
    listeners: RefCell<Vec<Listener>>,
}

impl JobHandle {
    /// Stops the job: the worker is terminated at once, a job in the page stops at its
    /// next slice. Nothing more is reported.
    pub fn cancel(&self) {
        self.inner.cancelled.set(true);
        self.stop_worker();
    }

    fn stop_worker(&self) {
        if let Some(worker) = self.inner.worker.borrow_mut().take() {
            worker.set_onmessage(None);
            worker.set_onerror(None);
            worker.terminate();
        }
        // The listeners may be running right now (a worker's last message stops it):
        // they are dropped once the current event is over, never during it.
        let listeners = std::mem::take(&mut *self.inner.listeners.borrow_mut());
        if !listeners.is_empty() {
            wasm_bindgen_futures::spawn_local(async move { drop(listeners) });
        }
    }
}

fn now() -> f64 {
    js_sys::Date::now()
}

/// Runs `job` in a worker (or, failing that, in the page), reporting every message and
/// where it runs to `report`. `report` is not called after [`JobHandle::cancel`].
pub fn spawn(job: Job, report: impl Fn(Message, Venue) + 'static) -> JobHandle {
    let handle = JobHandle {
        inner: Rc::new(Inner {
            worker: RefCell::new(None),
            cancelled: Cell::new(false),
            listeners: RefCell::default(),
        }),
    };
    let report: Rc<dyn Fn(Message, Venue)> = Rc::new(report);
    let options = web_sys::WorkerOptions::new();
    options.set_type(web_sys::WorkerType::Module);
    let Ok(worker) = web_sys::Worker::new_with_options(WORKER_URL, &options) else {
        run_in_page(job, handle.clone(), report);
        return handle;
    };
    report(Message::Progress { done: 0, total: 0 }, Venue::Starting);
    let ready = Rc::new(Cell::new(false));
    let job = Rc::new(RefCell::new(Some(job)));
    let on_message = {
        let (handle, report, ready, job, worker) =
            (handle.clone(), report.clone(), ready.clone(), job.clone(), worker.clone());
        Listener::new(move |event: web_sys::Event| {
            if handle.inner.cancelled.get() {
                return;
            }
            let Some(event) = event.dyn_ref::<web_sys::MessageEvent>() else { return };
            match decode::<Message>(&event.data()) {
                Ok(Message::Ready) => {
                    ready.set(true);
                    if let Some(job) = job.borrow_mut().take() {
                        let _ = worker.post_message(&encode(&job));
                    }
                    report(Message::Progress { done: 0, total: 0 }, Venue::Worker);
                }
                Ok(message) => {
                    let last = matches!(message, Message::Done(_) | Message::Failed(_));
                    report(message, Venue::Worker);
                    if last {
                        handle.stop_worker();
                    }
                }
                Err(e) => {
                    report(Message::Failed(format!("the worker sent an unreadable message: {e}")), Venue::Worker);
                    handle.stop_worker();
                }
            }
        })
    };
    let on_error = {
        let (handle, report, ready, job) = (handle.clone(), report.clone(), ready.clone(), job.clone());
        Listener::new(move |event: web_sys::Event| {
            event.prevent_default();
            handle.stop_worker();
            if handle.inner.cancelled.get() {
                return;
            }
            match job.borrow_mut().take() {
                // The worker never started (its files are missing, or workers are not
                // allowed): run the job here instead.
                Some(job) if !ready.get() => run_in_page(job, handle.clone(), report.clone()),
                _ => {
                    let message = event
                        .dyn_ref::<web_sys::ErrorEvent>()
                        .map(|e| e.message())
                        .filter(|m| !m.is_empty())
                        .unwrap_or_else(|| "the worker stopped".into());
                    report(Message::Failed(format!("The analysis stopped: {message}.")), Venue::Worker);
                }
            }
        })
    };
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    handle.inner.listeners.borrow_mut().extend([on_message, on_error]);
    *handle.inner.worker.borrow_mut() = Some(worker);
    handle
}

/// Runs `job` in the page, in slices between which the page handles its events.
fn run_in_page(job: Job, handle: JobHandle, report: Rc<dyn Fn(Message, Venue)>) {
    wasm_bindgen_futures::spawn_local(async move {
        let mut running = match job.start() {
            Ok(running) => running,
            Err(e) => {
                report(Message::Failed(e), Venue::Page);
                return;
            }
        };
        loop {
            if handle.inner.cancelled.get() {
                return;
            }
            match running.run_for(12.0, now) {
                Ok(true) => break,
                Ok(false) => {
                    let (done, total) = running.progress();
                    report(Message::Progress { done, total }, Venue::Page);
                    next_task().await;
                }
                Err(e) => {
                    report(Message::Failed(e), Venue::Page);
                    return;
                }
            }
        }
        if !handle.inner.cancelled.get() {
            report(Message::Done(running.outcome()), Venue::Page);
        }
    });
}

/// Resolves on the browser's next task, after pending events and rendering.
async fn next_task() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(window) = web_sys::window() {
            let _ = window.set_timeout_with_callback(&resolve);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// The worker's side: listens for one job at a time and runs it, reporting progress at
/// most every 50 ms. Called by the `uma-worker` binary.
pub fn serve_in_worker() {
    let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let reply = scope.clone();
    let on_message = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
        let post = |message: &Message| {
            let _ = reply.post_message(&encode(message));
        };
        let mut running = match decode::<Job>(&event.data()).and_then(Job::start) {
            Ok(running) => running,
            Err(e) => return post(&Message::Failed(e)),
        };
        loop {
            match running.run_for(50.0, now) {
                Ok(true) => break,
                Ok(false) => {
                    let (done, total) = running.progress();
                    post(&Message::Progress { done, total });
                }
                Err(e) => return post(&Message::Failed(e)),
            }
        }
        post(&Message::Done(running.outcome()));
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The worker lives as long as the page keeps it: so does its listener.
    on_message.forget();
    let _ = scope.post_message(&encode(&Message::Ready));
}
