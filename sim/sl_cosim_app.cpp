// sl_cosim_app.cpp — option parsing, file preparation and reporting for the cosim tops.
#include "sl_cosim_app.h"

#include <getopt.h>
#include <unistd.h>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include "sl_atomic.h"
#include "sl_image.h"

static void usage(const char *prog) {
  printf("usage: %s MODEL.slm EVENTS.sle [options] [+plusarg ...]\n"
         "\n"
         "Runs every sample through the RTL core and the C model in lockstep, comparing spikes,\n"
         "membranes, rings and scores after every step, every counter register at the end, and\n"
         "the bus rules (refused entries, partial write strobes, sticky error bits bit by bit).\n"
         "Exit status: 0 pass, 1 MISMATCH (the core differs from the C model or breaks a bus rule;\n"
         "step, neuron, both values and recent history are printed), 2 usage, 3 error (a file,\n"
         "or a model this core cannot hold): not a mismatch.\n"
         "  -o TRACE.slt          write the trace (spec 8.3) from what the RTL produced: its spike\n"
         "                        words and its scores\n"
         "  --load bus|preload    load the synapse table over AXI4-Lite (default) or by\n"
         "                        $readmemh preload of the memories\n"
         "  --verify-load         read the whole table back over the bus\n"
         "  --no-state            compare spikes and final scores only, not the state per step\n"
         "  --state               compare the state after every step (the default)\n"
         "  --no-compare          do not run the C model alongside: only drive the RTL and write\n"
         "                        its trace (the bus and counter checks still run)\n"
         "  --jitter SEED         random gaps on both streams and long output stalls\n"
         "                        (back-pressure)\n"
         "  --fst FILE            dump the whole run as an FST waveform\n"
         "  --fst-on-fail FILE    on a mismatch re-run with waves into FILE (default\n"
         "                        sl_cosim_fail.fst; 'none' to skip)\n"
         "  --stop-after N        stop (as a failure) after N steps\n"
         "  --rewire N            every N steps rewrite one random entry over the bus (run-time\n"
         "                        rewiring, C model alongside) and check an illegal one is refused\n"
         "  --emit-tb DIR         only write the Icarus test-bench inputs into DIR\n"
         "  --stats               print cycle counts and synaptic events per cycle\n"
         "  -q                    print nothing on success\n",
         prog);
}

SlCosimApp::~SlCosimApp() {
  sl_events_free(&es);
  sl_core_free(ref);
  if (tmp_preload) {
    std::string a = preload_dir + "/syn.hex", b = preload_dir + "/rowlen.hex";
    unlink(a.c_str());
    unlink(b.c_str());
    rmdir(preload_dir.c_str());
  }
}

int SlCosimApp::parse(int argc, char **argv, const char *prog) {
  static const struct option opts[] = {
      {"output", required_argument, 0, 'o'},   {"load", required_argument, 0, 'l'},
      {"verify-load", no_argument, 0, 'v'},    {"state", no_argument, 0, 's'},
      {"jitter", required_argument, 0, 'j'},   {"fst", required_argument, 0, 'f'},
      {"fst-on-fail", required_argument, 0, 'F'}, {"stop-after", required_argument, 0, 'S'},
      {"emit-tb", required_argument, 0, 'E'},  {"preload-dir", required_argument, 0, 'P'},
      {"stats", no_argument, 0, 't'},          {"no-state", no_argument, 0, 'n'},
      {"no-compare", no_argument, 0, 'C'},          {"rewire", required_argument, 0, 'r'},          {"quiet", no_argument, 0, 'q'},
      {"help", no_argument, 0, 'h'},           {0, 0, 0, 0}};
  std::vector<char *> args;
  for (int i = 0; i < argc; i++) {
    if (i > 0 && argv[i][0] == '+')
      plusargs.push_back(argv[i]);
    else
      args.push_back(argv[i]);
  }
  int o, ac = (int)args.size();
  optind = 1;
  while ((o = getopt_long(ac, args.data(), "o:qh", opts, NULL)) != -1) {
    switch (o) {
      case 'o': trace_path = optarg; break;
      case 'l':
        if (!strcmp(optarg, "bus")) opt.load_bus = true;
        else if (!strcmp(optarg, "preload")) opt.load_bus = false;
        else { fprintf(stderr, "%s: --load takes bus or preload, not '%s'\n", prog, optarg); return 2; }
        break;
      case 'v': opt.verify_load = true; break;
      case 's': opt.check_state = true; break;
      case 'n': opt.check_state = false; break;
      case 'C': opt.compare = false; break;
      case 'j': opt.jitter = (uint32_t)strtoul(optarg, NULL, 0); break;
      case 'f': fst_path = optarg; break;
      case 'F': fst_on_fail = strcmp(optarg, "none") ? optarg : ""; break;
      case 'S': opt.stop_after = (uint32_t)strtoul(optarg, NULL, 0); break;
      case 'E': emit_tb = optarg; break;
      case 'P': preload_dir = optarg; break;
      case 't': stats = true; break;
      case 'r': opt.rewire_every = (uint32_t)strtoul(optarg, NULL, 0); break;
      case 'q': opt.quiet = true; break;
      case 'h': usage(prog); return 0;
      default: usage(prog); return 2;
    }
  }
  if (ac - optind != 2) {
    fprintf(stderr, "%s: need MODEL and EVENTS (see --help)\n", prog);
    return 2;
  }
  model = args[optind];
  events = args[optind + 1];
  return -1;
}

bool SlCosimApp::prepare(const char *prog) {
  sl_err err;
  ref = sl_core_new();
  if (!ref) {
    fprintf(stderr, "%s: out of memory\n", prog);
    return false;
  }
  if (sl_image_load(model.c_str(), &ref->net, NULL, &err) || sl_events_load(events.c_str(), &es, &err)) {
    fprintf(stderr, "%s: %s\n", prog, err.msg);
    return false;
  }
  if (es.channels > ref->net.n_inputs) {
    fprintf(stderr, "%s: %s: %u channels but %s has %u inputs\n", prog, events.c_str(), es.channels, model.c_str(),
            ref->net.n_inputs);
    return false;
  }
  sl_core_configure(ref);
  std::string e;
  if (!emit_tb.empty()) {
    if (!sl_write_tb_inputs(emit_tb, ref, es, e)) {
      fprintf(stderr, "%s: %s\n", prog, e.c_str());
      return false;
    }
    return true;
  }
  if (!opt.load_bus) {
    if (preload_dir.empty()) {
      char tmpl[] = "/tmp/sl_cosim.XXXXXX";
      if (!mkdtemp(tmpl)) {
        fprintf(stderr, "%s: cannot create a temporary directory\n", prog);
        return false;
      }
      preload_dir = tmpl;
      tmp_preload = true;
    }
    if (!sl_write_preload(preload_dir, &ref->net, e)) {
      fprintf(stderr, "%s: %s\n", prog, e.c_str());
      return false;
    }
    plusargs.push_back("+sl_syn=" + preload_dir + "/syn.hex");
    plusargs.push_back("+sl_rowlen=" + preload_dir + "/rowlen.hex");
  }
  return true;
}

int SlCosimApp::run(SlDut &dut, const char *prog, bool write_trace, std::string *fail_msg) {
  sl_afile tf = {};
  sl_err err;
  FILE *trace = NULL;
  if (write_trace && !trace_path.empty()) {
    if (sl_afile_open(&tf, trace_path.c_str(), &err)) {
      fprintf(stderr, "%s: %s\n", prog, err.msg);
      return 3;
    }
    trace = tf.f;
  }
  SlCosim cs(dut, ref, opt);
  bool ok = cs.setup() && cs.run(es, trace);
  if (!ok) {
    sl_afile_abort(&tf);
    if (fail_msg) *fail_msg = cs.message();
    if (cs.is_error()) {
      fprintf(stderr, "%s: %s: %s\n", prog, model.c_str(), cs.message().c_str());
      return 3;
    }
    fprintf(stderr, "%s: MISMATCH %s: %s (cycle %lld)\n", prog, model.c_str(), cs.message().c_str(),
            (long long)cs.fail_cycle());
    return 1;
  }
  if (trace && sl_afile_commit(&tf, &err)) {
    fprintf(stderr, "%s: %s\n", prog, err.msg);
    return 3;
  }
  const SlCosimStats &s = cs.stats();
  if (!opt.quiet)
    fprintf(stderr, "%s: PASS %s: %u sample(s), %llu steps, %llu events, %llu spikes, %llu synaptic ops, %llu cycles\n",
            prog, model.c_str(), es.n_samples, (unsigned long long)s.steps, (unsigned long long)s.input_events,
            (unsigned long long)s.spikes, (unsigned long long)s.synops, (unsigned long long)s.cycles);
  if (stats)
    printf("stats: steps %llu events %llu synops %llu busy %llu sweep %llu deliver %llu stall %llu "
           "cycles/step %.1f synops/deliver-cycle %.4f\n",
           (unsigned long long)s.steps, (unsigned long long)s.input_events, (unsigned long long)s.synops,
           (unsigned long long)s.busy, (unsigned long long)s.sweep, (unsigned long long)s.deliver,
           (unsigned long long)s.stall, s.steps ? (double)s.busy / (double)s.steps : 0.0,
           s.deliver ? (double)s.synops / (double)s.deliver : 0.0);
  return 0;
}

static uint32_t row_len(const sl_net *n, uint32_t src) {
  uint32_t len = 0;
  for (uint32_t k = 0; k < n->row_cap; k++)
    if (n->syn[src * n->row_cap + k]) len = k + 1;
  return len;
}

bool sl_write_preload(const std::string &dir, const sl_net *n, std::string &err) {
  const uint32_t S = sl_net_sources(n);
  std::string a = dir + "/syn.hex", b = dir + "/rowlen.hex";
  FILE *f = fopen(a.c_str(), "w"), *g = fopen(b.c_str(), "w");
  if (!f || !g) {
    if (f) fclose(f);
    if (g) fclose(g);
    err = "cannot write preload images in " + dir;
    return false;
  }
  for (uint32_t i = 0; i < S * n->row_cap; i++) fprintf(f, "%08x\n", n->syn[i]);
  for (uint32_t s = 0; s < S; s++) fprintf(g, "%x\n", row_len(n, s));
  bool ok = !ferror(f) && !ferror(g);
  ok = (fclose(f) == 0) && ok;
  ok = (fclose(g) == 0) && ok;
  if (!ok) err = "write error in " + dir;
  return ok;
}

static uint32_t log2u(uint32_t x) {
  uint32_t l = 0;
  while ((1u << l) < x) l++;
  return l;
}

// Commands for the Icarus bench, one per line:
//   H <neurons> <readouts> <steps>   trace header     W <addr> <data>  bus write (hex)
//   C                                clear state, enable  S <id> <label> sample line (label -1: none)
//   E <word>                         stream word (hex), the end-of-step word waits for the output
//   D <readouts>                     read scores, write the decision   Q  finish
bool sl_write_tb_inputs(const std::string &dir, const sl_core *ref, const sl_eventset &es, std::string &err) {
  const sl_net *n = &ref->net;
  if (!sl_write_preload(dir, n, err)) return false;
  std::string p = dir + "/cmds.txt";
  FILE *f = fopen(p.c_str(), "w");
  if (!f) {
    err = "cannot write " + p;
    return false;
  }
  fprintf(f, "H %u %u %u\n", n->n_neurons, ref->n_readouts, es.steps);
  fprintf(f, "W %x %x\nW %x %x\nW %x %x\nW %x %x\nW %x %x\n", slreg::kNInputs, n->n_inputs, slreg::kNNeurons,
          n->n_neurons, slreg::kNPops, n->n_pops, slreg::kDepthLog2, log2u(n->depth), slreg::kRowCapLog2,
          log2u(n->row_cap));
  for (uint32_t q = 0; q < n->n_pops; q++) {
    const sl_pop &pp = n->pop[q];
    const uint32_t mode = pp.reset | (pp.flags & SL_POP_SPIKING ? 2u : 0u) | (pp.flags & SL_POP_READOUT ? 4u : 0u);
    const uint32_t b = slreg::kPopBase + 16 * q;
    fprintf(f, "W %x %x\nW %x %x\nW %x %x\nW %x %x\n", b, pp.count, b + 4, pp.leak, b + 8, (uint32_t)pp.threshold,
            b + 12, mode);
  }
  for (uint32_t i = 0; i < es.n_samples; i++) {
    const sl_sample &sm = es.samples[i];
    fprintf(f, "C\nS %d %d\n", sm.id, sm.label);
    uint32_t k = 0;
    for (uint32_t t = 0; t < es.steps; t++) {
      while (k < sm.count && es.ev[sm.first + k].step == t) {
        const sl_event &e = es.ev[sm.first + k++];
        fprintf(f, "E %x\n", (uint32_t)e.payload << 16 | e.chan);
      }
      fprintf(f, "E 80000000\n");
    }
    fprintf(f, "D %u\n", ref->n_readouts);
  }
  fprintf(f, "Q\n");
  bool ok = !ferror(f);
  ok = (fclose(f) == 0) && ok;
  if (!ok) err = "write error: " + p;
  return ok;
}
