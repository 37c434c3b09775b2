/*
 * cluster_test: the signed-log transform and scaling by hand, exact
 * recovery of three well-separated groups through the transform, and a
 * model's labels equal to the fit's.
 */
#include <math.h>
#include <string.h>

#include "cluster.h"
#include "tap.h"

int
main(void)
{
	struct cluster_opts o = {
		.k = 3, .restarts = 4, .seed = 1, .log = true, .scale = true
	};
	struct cluster_model cm;
	struct cluster_info  info;
	struct ci_err        e = { 0 };
	double               raw[60], z[2], scratch[2], ex[4];
	size_t               i, g, lab[3] = { 9, 9, 9 }, wrong = 0;

	plan(9);
	/* Groups near (1, 10), (100, 1000), (10000, 100000), interleaved. */
	for (i = 0; i < 30; i++) {
		g = i % 3;
		raw[2 * i] = pow(100, (double)g) * (1 + 0.01 * (double)(i % 7));
		raw[2 * i + 1] =
		    10 * pow(100, (double)g) * (1 + 0.02 * (double)(i % 5));
	}
	is_int(cluster_fit(&cm, raw, 30, 2, &o, &info, &e), 0, "fit");
	for (i = 0; i < 30; i++) {
		size_t c = cluster_assign(&cm, raw + 2 * i, scratch);

		g = i % 3;
		if (lab[g] == 9)
			lab[g] = c;
		wrong += lab[g] != c;
	}
	ok(wrong == 0 && lab[0] != lab[1] && lab[1] != lab[2] &&
	        lab[0] != lab[2],
	    "the three groups are recovered exactly");
	ok(cm.k == 3 && info.inertia > 0, "k = 3, inertia %g", info.inertia);
	cluster_model_release(&cm);

	/* slog(0) = 0, slog(e - 1) = 1: mean 0.5, sd 0.5. */
	ex[0] = 0;
	ex[1] = -(M_E - 1);
	ex[2] = M_E - 1;
	ex[3] = 0;
	o.k = 2;
	is_int(cluster_fit(&cm, ex, 2, 2, &o, &info, &e), 0, "fit two rows");
	is_near(cm.mean[0], 0.5, 1e-15, "mean of log values");
	is_near(cm.sd[0], 0.5, 1e-15, "population sd of log values");
	is_near(cm.mean[1], -0.5, 1e-15, "negative values keep their sign");
	cluster_scale(&cm, ex, z);
	is_near(z[0], -1, 1e-15, "row 1 scales to -1");
	cluster_model_release(&cm);

	o.k = 4;
	ok(cluster_fit(&cm, ex, 2, 2, &o, &info, &e) == -1 &&
	        e.code == CI_EXIT_DATA,
	    "more clusters than rows: a data error (%s)", e.msg);
	cluster_model_release(&cm);
	return done_testing();
}
