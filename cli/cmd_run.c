/* cmd_run.c — `spikeline run`: a model image and an event file through the C reference model,
 * writing the spike trace (and optionally the per-step state dump). */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include "sl_atomic.h"
#include "sl_cli.h"
#include "sl_image.h"
#include "sl_trace.h"

static void help(void) {
  puts("usage: spikeline run MODEL.slm EVENTS.sle [-o TRACE.slt] [--state STATE.sls] [-q]\n"
       "\n"
       "Runs every sample of EVENTS through the bit-accurate C model (docs/spec.md) and writes\n"
       "the spike trace (default: standard output). --state also dumps every neuron's membrane\n"
       "and ring after every step. Prints a summary (samples, spikes, synaptic ops) on stderr\n"
       "unless -q. Output files are written whole or not at all.");
}

int sl_cmd_run(int argc, char **argv) {
  const char *out = NULL, *state_path = NULL;
  int quiet = 0;
  static const struct option opts[] = {{"output", required_argument, 0, 'o'}, {"state", required_argument, 0, 's'},
                                       {"quiet", no_argument, 0, 'q'}, {"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
  int o;
  optind = 1;
  while ((o = getopt_long(argc, argv, "o:s:qh", opts, NULL)) != -1) {
    switch (o) {
      case 'o': out = optarg; break;
      case 's': state_path = optarg; break;
      case 'q': quiet = 1; break;
      case 'h': help(); return 0;
      default: help(); return 2;
    }
  }
  if (argc - optind != 2) {
    sl_cli_error("run", "need MODEL and EVENTS (see --help)");
    return 2;
  }
  const char *model = argv[optind], *events = argv[optind + 1];
  sl_err err;
  sl_core *c = sl_core_new();
  sl_eventset es = {0};
  sl_afile tf = {0}, sf = {0};
  int rc = 1;
  if (!c) {
    sl_cli_error("run", "out of memory");
    return 1;
  }
  if (sl_image_load(model, &c->net, NULL, &err) || sl_events_load(events, &es, &err)) {
    sl_cli_error("run", "%s", err.msg);
    goto done;
  }
  if (es.channels > c->net.n_inputs) {
    sl_cli_error("run", "%s: %u channels but %s has %u inputs", events, es.channels, model, c->net.n_inputs);
    goto done;
  }
  sl_core_configure(c);
  FILE *trace = stdout, *state = NULL;
  if (out) {
    if (sl_afile_open(&tf, out, &err)) { sl_cli_error("run", "%s", err.msg); goto done; }
    trace = tf.f;
  }
  if (state_path) {
    if (sl_afile_open(&sf, state_path, &err)) { sl_cli_error("run", "%s", err.msg); goto done; }
    state = sf.f;
    sl_state_write_header(state, c->net.n_neurons, c->net.depth, es.steps);
  }
  sl_trace_write_header(trace, c->net.n_neurons, c->n_readouts, es.steps);
  sl_run_stats st = {0};
  uint32_t correct = 0, labelled = 0;
  for (uint32_t i = 0; i < es.n_samples; i++) {
    int32_t d = sl_run_sample(c, &es, i, trace, state, &st);
    if (es.samples[i].label >= 0) {
      labelled++;
      correct += d == es.samples[i].label;
    }
  }
  if ((out && sl_afile_commit(&tf, &err)) || (state_path && sl_afile_commit(&sf, &err))) {
    sl_cli_error("run", "%s", err.msg);
    goto done;
  }
  if (!out) fflush(stdout);
  if (!quiet) {
    fprintf(stderr, "run: %u sample(s) x %u steps: %llu input events, %llu spikes, %llu synaptic ops",
            es.n_samples, es.steps, (unsigned long long)st.input_events, (unsigned long long)st.spikes,
            (unsigned long long)st.synops);
    if (labelled) fprintf(stderr, "; accuracy %u/%u = %.2f %%", correct, labelled, 100.0 * correct / labelled);
    fputc('\n', stderr);
  }
  rc = 0;
done:
  sl_afile_abort(&tf);
  sl_afile_abort(&sf);
  sl_events_free(&es);
  sl_core_free(c);
  return rc;
}
