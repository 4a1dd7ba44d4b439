/* cmd_classify.c — `spikeline classify`: run labelled samples on a core through the driver
 * and on the C reference model, assert that every sample's spikes and decision agree, and
 * report per-class accuracy, the confusion matrix, throughput and cycles per inference.
 * Audio files instead of an event file: cmd_classify_audio.c. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "sl_atomic.h"
#include "sl_cli.h"
#include "sl_cli_classify.h"
#include "sl_dev.h"
#include "sl_image.h"

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + 1e-9 * ts.tv_nsec;
}

static void help(void) {
  puts("usage: spikeline classify MODEL.slm EVENTS.sle --target sim:|sim:sc|uio:/dev/uioN [--limit N] [-o TRACE.slt]\n"
       "       [--json SUMMARY.json] [-q]\n"
       "       spikeline classify MODEL.slm FILE.wav|FILE.flac ... [--target sim:|sim:sc|uio:/dev/uioN] [-q]\n"
       "\n"
       "Loads MODEL into the device, runs each labelled sample of EVENTS on it and on the C\n"
       "reference model, and fails (exit 1) unless both give the same spikes and the same\n"
       "decision for every sample. Prints per-class accuracy, the confusion matrix, inferences/s\n"
       "and the device's cycles per inference. -o writes the device's spike trace (spec 8.3).\n"
       "\n"
       "With audio files instead of EVENTS (any format the front end reads; not an event file):\n"
       "each file goes through the front end (default parameters, docs/data.md; the band limit\n"
       "and top_db of the model's training features when the image records them), its features\n"
       "are quantised with the input scale the model was trained with (recorded in the image;\n"
       "the default if it records none) and run on the C model; printed per file: the decision\n"
       "and every class's score (the summed readout membrane, the hardware decision rule). With\n"
       "--target the device runs them too and must agree spike for spike.");
}

/* An event file: named .sle, or text that starts like one ("sl-events" or a '#' comment). */
static int is_event_file(const char *path) {
  const size_t n = strlen(path);
  if (n >= 4 && !strcmp(path + n - 4, ".sle")) return 1;
  char head[10] = {0};
  FILE *f = fopen(path, "rb");
  if (!f) return 0;
  const size_t got = fread(head, 1, sizeof head - 1, f);
  fclose(f);
  return (got >= 1 && head[0] == '#') || (got >= 9 && !memcmp(head, "sl-events", 9));
}

/* The C model's spikes of one sample, in the same (step, neuron) order as the device's. */
int sl_classify_same_spikes(sl_core *c, const sl_eventset *es, uint32_t i, const sl_dev_result *r,
                            int32_t *decision, char *why, size_t len) {
  const sl_sample *sm = &es->samples[i];
  uint8_t spikes[SL_MAX_NEURONS];
  uint16_t chan[SL_MAX_INPUTS];
  uint8_t pay[SL_MAX_INPUTS];
  uint32_t k = 0, j = 0;
  sl_core_reset(c);
  for (uint32_t t = 0; t < es->steps; t++) {
    uint32_t ne = 0;
    while (k < sm->count && es->ev[sm->first + k].step == t) {
      chan[ne] = es->ev[sm->first + k].chan;
      pay[ne++] = es->ev[sm->first + k++].payload;
    }
    sl_core_step(c, chan, pay, ne, spikes);
    for (uint32_t n = 0; n < c->net.n_neurons; n++) {
      if (!spikes[n]) continue;
      if (j >= r->n_spikes || r->spk[j].step != t || r->spk[j].neuron != n) {
        snprintf(why, len, "step %u: C model spike of neuron %u, device %s", t, n,
                 j < r->n_spikes ? "another spike there" : "no more spikes");
        return 0;
      }
      j++;
    }
    if (j < r->n_spikes && r->spk[j].step == t) {
      snprintf(why, len, "step %u: device spike of neuron %u that the C model does not have", t, r->spk[j].neuron);
      return 0;
    }
  }
  *decision = sl_core_decision(c);
  for (uint32_t q = 0; q < c->n_readouts; q++)
    if (c->score[q] != r->score[q]) {
      snprintf(why, len, "readout %u: score device %lld, C model %lld", q, (long long)r->score[q], (long long)c->score[q]);
      return 0;
    }
  return 1;
}

int sl_cmd_classify(int argc, char **argv) {
  const char *target = NULL, *out = NULL, *json = NULL;
  uint32_t limit = 0;
  int quiet = 0, o;
  static const struct option opts[] = {{"target", required_argument, 0, 't'}, {"limit", required_argument, 0, 'n'},
                                       {"output", required_argument, 0, 'o'}, {"json", required_argument, 0, 'j'},
                                       {"quiet", no_argument, 0, 'q'},        {"help", no_argument, 0, 'h'},
                                       {0, 0, 0, 0}};
  optind = 1;
  while ((o = getopt_long(argc, argv, "t:n:o:j:qh", opts, NULL)) != -1) {
    switch (o) {
      case 't': target = optarg; break;
      case 'n': {
        long long v;
        if (sl_cli_int("classify", "-n", optarg, 0, UINT32_MAX, &v)) return 2;
        limit = (uint32_t)v;
        break;
      }
      case 'o': out = optarg; break;
      case 'j': json = optarg; break;
      case 'q': quiet = 1; break;
      case 'h': help(); return 0;
      default: help(); return 2;
    }
  }
  if (argc - optind >= 2 && !(argc - optind == 2 && is_event_file(argv[optind + 1]))) {
    if (limit || out || json) {
      sl_cli_error("classify", "--limit, -o and --json apply to an EVENTS file, not to audio files");
      return 2;
    }
    return sl_classify_audio(argv[optind], argv + optind + 1, argc - optind - 1, target, quiet);
  }
  if (argc - optind != 2 || !target) {
    sl_cli_error("classify", "need MODEL, EVENTS and --target, or MODEL and audio files (see --help)");
    return 2;
  }
  const char *model = argv[optind], *events = argv[optind + 1];
  sl_core *c = sl_core_new();
  sl_eventset es = {0};
  sl_dev *dev = NULL;
  sl_dev_result r = {0};
  sl_afile tf = {0};
  sl_err err;
  int rc = 1;
  uint32_t *conf = NULL;
  if (!c) return 1;
  if (sl_image_load(model, &c->net, NULL, &err) || sl_events_load(events, &es, &err)) {
    sl_cli_error("classify", "%s", err.msg);
    goto done;
  }
  sl_core_configure(c);
  const uint32_t R = c->n_readouts;
  if (R == 0) {
    sl_cli_error("classify", "%s: the model has no readout population", model);
    goto done;
  }
  if (es.channels > c->net.n_inputs) {
    sl_cli_error("classify", "%s: %u channels but %s has %u inputs", events, es.channels, model, c->net.n_inputs);
    goto done;
  }
  if (sl_dev_open(target, &dev, &err) || sl_dev_load(dev, &c->net, &err)) {
    sl_cli_error("classify", "%s", err.msg);
    goto done;
  }
  if (out) {
    if (sl_afile_open(&tf, out, &err)) {
      sl_cli_error("classify", "%s", err.msg);
      goto done;
    }
    sl_trace_write_header(tf.f, c->net.n_neurons, R, es.steps);
  }
  const uint32_t n = limit && limit < es.n_samples ? limit : es.n_samples;
  conf = calloc((size_t)R * R, sizeof *conf);
  uint32_t labelled = 0, correct = 0, correct_ref = 0;
  uint64_t cycles = 0, spikes = 0;
  const double t0 = now();
  for (uint32_t i = 0; i < n; i++) {
    const sl_sample *sm = &es.samples[i];
    if (sl_dev_run_sample(dev, &es, i, &r, &err)) {
      sl_cli_error("classify", "%s", err.msg);
      goto done;
    }
    char why[200];
    int32_t dref = -1;
    const int same = sl_classify_same_spikes(c, &es, i, &r, &dref, why, sizeof why);
    if (!same || dref != r.decision) {
      if (same) snprintf(why, sizeof why, "decision device %d, C model %d", r.decision, dref);
      sl_cli_error("classify", "%s: sample %d: device and C model differ: %s", events, sm->id, why);
      goto done;
    }
    cycles += r.cycles;
    spikes += r.n_spikes;
    if (tf.f) {
      sl_trace_write_sample(tf.f, sm->id, sm->label);
      for (uint32_t s = 0; s < r.n_spikes; s++) fprintf(tf.f, "%u %u\n", r.spk[s].step, r.spk[s].neuron);
      sl_trace_write_decision(tf.f, r.decision, r.score, R);
    }
    if (sm->label >= 0 && (uint32_t)sm->label < R) {
      labelled++;
      correct += r.decision == sm->label;
      correct_ref += dref == sm->label;
      conf[(size_t)sm->label * R + (uint32_t)r.decision]++;
    }
    if (!quiet && (i + 1 == n || (i + 1) % 10 == 0)) {
      const double el = now() - t0;
      fprintf(stderr, "\rclassify: %u/%u samples, %.1f/s, ETA %.0f s, accuracy %.1f %%   ", i + 1, n, (i + 1) / el,
              el / (i + 1) * (n - i - 1), labelled ? 100.0 * correct / labelled : 0.0);
    }
  }
  const double wall = now() - t0;
  if (!quiet) fputc('\n', stderr);
  if (tf.f && sl_afile_commit(&tf, &err)) {
    sl_cli_error("classify", "%s", err.msg);
    goto done;
  }
  printf("classify %s on %s: %u samples, every spike and decision equal to the C model's\n", model, target, n);
  printf("accuracy: device %.2f %% (%u/%u), C model %.2f %%\n", labelled ? 100.0 * correct / labelled : 0.0, correct,
         labelled, labelled ? 100.0 * correct_ref / labelled : 0.0);
  printf("throughput: %.2f inferences/s (wall, this host); %.0f cycles per inference (%.0f us at 125 MHz); %.1f spikes "
         "per inference\n",
         n / wall, (double)cycles / n, (double)cycles / n / 125.0, (double)spikes / n);
  printf("per-class accuracy:");
  for (uint32_t k = 0; k < R; k++) {
    uint32_t tot = 0;
    for (uint32_t q = 0; q < R; q++) tot += conf[(size_t)k * R + q];
    if (tot) printf(" %u:%.0f%%", k, 100.0 * conf[(size_t)k * R + k] / tot);
  }
  printf("\nconfusion matrix (row = label, column = decision):\n     ");
  for (uint32_t q = 0; q < R; q++) printf("%4u", q);
  printf("\n");
  for (uint32_t k = 0; k < R; k++) {
    printf("%4u ", k);
    for (uint32_t q = 0; q < R; q++) printf("%4u", conf[(size_t)k * R + q]);
    printf("\n");
  }
  if (json) {
    char buf[512];
    int len = snprintf(buf, sizeof buf,
                       "{\"samples\": %u, \"labelled\": %u, \"device_correct\": %u, \"cmodel_correct\": %u, "
                       "\"cycles_per_inference\": %.1f, \"inferences_per_s\": %.3f, \"target\": \"%s\"}\n",
                       n, labelled, correct, correct_ref, (double)cycles / n, n / wall, target);
    if (sl_write_file_atomic(json, buf, (size_t)len, &err)) {
      sl_cli_error("classify", "%s", err.msg);
      goto done;
    }
  }
  rc = 0;
done:
  sl_afile_abort(&tf);
  free(conf);
  sl_dev_result_free(&r);
  sl_dev_close(dev);
  sl_events_free(&es);
  sl_core_free(c);
  return rc;
}
