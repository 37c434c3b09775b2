/*
 * fsmatch: Fellegi and Sunter (1969), "A theory for record linkage",
 * JASA 64:1183-1210, with m estimated by EM as in Winkler (1988), "Using
 * the EM algorithm for weight computation in the Fellegi-Sunter model of
 * record linkage", u started from random pairs as Splink does (Linacre
 * et al. 2022), and the term-frequency adjustment of exact agreement as
 * in Winkler (1989), "Frequency-based matching in Fellegi-Sunter model of
 * record linkage".
 *
 * EM runs over the distinct vectors of levels with their counts, which
 * are few (a few hundred) however many the pairs: each iteration costs
 * the number of distinct vectors, not of pairs.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fsmatch.h"
#include "hmap.h"
#include "xalloc.h"

void
fsmatch_init(struct fsmatch *fs, size_t n, const size_t *nlev)
{
	size_t i, l;
	double rest;

	memset(fs, 0, sizeof(*fs));
	fs->nfields = n;
	fs->lambda = 0.5;
	for (i = 0; i < n; i++) {
		fs->nlev[i] = nlev[i];
		/* m: 0.9 at exact, the rest halving level by level. */
		fs->m[i][0] = 0.9;
		rest = 0.1;
		for (l = 1; l < nlev[i]; l++) {
			fs->m[i][l] = l + 1 < nlev[i] ? rest / 2 : rest;
			rest -= fs->m[i][l];
		}
		for (l = 0; l < nlev[i]; l++)
			fs->u[i][l] = fs->urandom[i][l] = 1.0 / (double)nlev[i];
	}
}

static double
clamp(double p)
{
	return p < FSMATCH_PMIN    ? FSMATCH_PMIN
	    : p > 1 - FSMATCH_PMIN ? 1 - FSMATCH_PMIN
	                           : p;
}

void
fsmatch_u(struct fsmatch *fs, const uint8_t *lev, size_t npairs)
{
	double c[FSMATCH_MAX_FIELDS][MFIELD_MAX_LEVELS] = { { 0 } };
	double tot;
	size_t p, i, l;

	for (p = 0; p < npairs; p++)
		for (i = 0; i < fs->nfields; i++)
			if (lev[p * fs->nfields + i] != MFIELD_MISSING)
				c[i][lev[p * fs->nfields + i]]++;
	for (i = 0; i < fs->nfields; i++) {
		tot = 0;
		for (l = 0; l < fs->nlev[i]; l++)
			tot += c[i][l] + 0.5;
		for (l = 0; l < fs->nlev[i]; l++)
			fs->u[i][l] = fs->urandom[i][l] =
			    clamp((c[i][l] + 0.5) / tot);
	}
}

int
fsmatch_em(struct fsmatch *fs, const uint8_t *lev, size_t npairs, int maxit,
    double tol)
{
	struct hmap pat;
	double     *cnt = NULL, *wm = NULL;
	double      nm[FSMATCH_MAX_FIELDS][MFIELD_MAX_LEVELS];
	double      nu[FSMATCH_MAX_FIELDS][MFIELD_MAX_LEVELS];
	double      dm[FSMATCH_MAX_FIELDS], du[FSMATCH_MAX_FIELDS];
	size_t      cap = 0, np, p, g, i, l, nf = fs->nfields;
	bool        is_new;
	int         it;

	if (npairs == 0)
		return -1;
	hmap_init(&pat);
	for (p = 0; p < npairs; p++) {
		g = hmap_intern(&pat, (const char *)lev + p * nf, nf, &is_new);
		if (is_new) {
			xgrow(&cnt, &cap, g + 1, sizeof(*cnt));
			cnt[g] = 0;
		}
		cnt[g]++;
	}
	np = hmap_count(&pat);
	wm = xcalloc(np, sizeof(*wm));
	fs->converged = false;
	for (it = 1; it <= maxit; it++) {
		double sw = 0, sn = 0, move, lambda;

		/* E: the probability that each vector is a match. */
		for (g = 0; g < np; g++) {
			const uint8_t *v =
			    (const uint8_t *)hmap_key(&pat, g, NULL);
			double lm = log(fs->lambda), lu = log(1 - fs->lambda);

			for (i = 0; i < nf; i++)
				if (v[i] != MFIELD_MISSING) {
					lm += log(fs->m[i][v[i]]);
					lu += log(fs->u[i][v[i]]);
				}
			wm[g] = 1 / (1 + exp(lu - lm));
		}
		/* M: lambda and m from the expected matches. */
		memset(nm, 0, sizeof(nm));
		memset(dm, 0, sizeof(dm));
		memset(nu, 0, sizeof(nu));
		memset(du, 0, sizeof(du));
		for (g = 0; g < np; g++) {
			const uint8_t *v =
			    (const uint8_t *)hmap_key(&pat, g, NULL);
			double w = cnt[g] * wm[g], wn = cnt[g] * (1 - wm[g]);

			sw += w;
			sn += cnt[g];
			for (i = 0; i < nf; i++)
				if (v[i] != MFIELD_MISSING) {
					nm[i][v[i]] += w;
					dm[i] += w;
					nu[i][v[i]] += wn;
					du[i] += wn;
				}
		}
		lambda = clamp(sw / sn);
		move = fabs(lambda - fs->lambda);
		fs->lambda = lambda;
		for (i = 0; i < nf; i++) {
			for (l = 0; l < fs->nlev[i] && dm[i] > 0; l++) {
				double m = clamp(nm[i][l] / dm[i]);

				if (fabs(m - fs->m[i][l]) > move)
					move = fabs(m - fs->m[i][l]);
				fs->m[i][l] = m;
			}
			for (l = 0; l < fs->nlev[i] && du[i] > 0; l++) {
				double u = clamp(nu[i][l] / du[i]);

				if (fabs(u - fs->u[i][l]) > move)
					move = fabs(u - fs->u[i][l]);
				fs->u[i][l] = u;
			}
		}
		fs->iterations = it;
		if (move < tol) {
			fs->converged = true;
			break;
		}
	}
	free(cnt);
	free(wm);
	hmap_release(&pat);
	return 0;
}

double
fsmatch_weight(const struct fsmatch *fs, const uint8_t *lev, const double *tf)
{
	double w = log2(fs->lambda / (1 - fs->lambda)), u;
	size_t i;

	for (i = 0; i < fs->nfields; i++) {
		if (lev[i] == MFIELD_MISSING)
			continue;
		u = fs->u[i][lev[i]];
		if (lev[i] == 0 && tf != NULL && tf[i] > 0)
			u = clamp(u * tf[i] / fs->urandom[i][0]);
		w += log2(fs->m[i][lev[i]] / u);
	}
	return w;
}

double
fsmatch_probability(double w)
{
	if (w > 60)
		return 1;
	return exp2(w) / (1 + exp2(w));
}
