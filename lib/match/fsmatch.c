/*
 * fsmatch: Fellegi and Sunter (1969), "A theory for record linkage",
 * JASA 64:1183-1210, with m estimated by EM as in Winkler (1988), "Using
 * the EM algorithm for weight computation in the Fellegi-Sunter model of
 * record linkage", u from random pairs and EM run once per blocking rule
 * without the rule's fields as Splink does (Linacre et al. 2022, "Splink:
 * free software for probabilistic record linkage at scale", IJPDS 7),
 * and the term-frequency adjustment of exact agreement as in Winkler
 * (1989), "Frequency-based matching in Fellegi-Sunter model of record
 * linkage".
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fsmatch.h"
#include "xalloc.h"

/* The least prior: far below one match among the pairs of 10^9 records. */
#define LAMBDA_MIN 1e-300

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
		fs->m[i][0] = 0.9;
		rest = 0.1;
		for (l = 1; l < nlev[i]; l++) {
			fs->m[i][l] = l + 1 < nlev[i] ? rest / 2 : rest;
			rest -= fs->m[i][l];
		}
		for (l = 0; l < nlev[i]; l++)
			fs->u[i][l] = 1.0 / (double)nlev[i];
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
			fs->u[i][l] = clamp((c[i][l] + 0.5) / tot);
	}
}

void
fsmatch_pats_init(struct fsmatch_pats *p, size_t n)
{
	memset(p, 0, sizeof(*p));
	p->nfields = n;
	hmap_init(&p->pat);
}

void
fsmatch_pats_add(struct fsmatch_pats *p, const uint8_t *lev)
{
	bool   is_new;
	size_t g = hmap_intern(&p->pat, (const char *)lev, p->nfields, &is_new);

	if (is_new) {
		xgrow(&p->cnt, &p->cap, g + 1, sizeof(*p->cnt));
		p->cnt[g] = 0;
	}
	p->cnt[g]++;
	p->npairs++;
}

void
fsmatch_pats_release(struct fsmatch_pats *p)
{
	hmap_release(&p->pat);
	free(p->cnt);
	memset(p, 0, sizeof(*p));
}

int
fsmatch_em(const struct fsmatch *fs, const struct fsmatch_pats *p,
    const bool *est, int maxit, double tol, struct fsmatch_fit *fit)
{
	double m[FSMATCH_MAX_FIELDS][MFIELD_MAX_LEVELS];
	double u[FSMATCH_MAX_FIELDS][MFIELD_MAX_LEVELS];
	double dm[FSMATCH_MAX_FIELDS], du[FSMATCH_MAX_FIELDS];
	size_t np = hmap_count(&p->pat), g, i, l, nf = fs->nfields;
	double lambda = 0.5, *wm;
	int    it;

	memset(fit, 0, sizeof(*fit));
	if (p->npairs == 0)
		return -1;
	fit->npairs = p->npairs;
	memcpy(m, fs->m, sizeof(m));
	memcpy(u, fs->u, sizeof(u));
	wm = xcalloc(np, sizeof(*wm));
	for (it = 1; it <= maxit; it++) {
		double sw = 0, move, next;

		/* E: the probability that each vector is a match. */
		for (g = 0; g < np; g++) {
			const uint8_t *v =
			    (const uint8_t *)hmap_key(&p->pat, g, NULL);
			double lm = log(lambda), lu = log(1 - lambda);

			for (i = 0; i < nf; i++)
				if (est[i] && v[i] != MFIELD_MISSING) {
					lm += log(m[i][v[i]]);
					lu += log(u[i][v[i]]);
				}
			wm[g] = 1 / (1 + exp(lu - lm));
		}
		/* M: the share of matches, m and u from the expected matches
		 * and non-matches at each level. */
		memset(fit->nm, 0, sizeof(fit->nm));
		memset(fit->nu, 0, sizeof(fit->nu));
		memset(dm, 0, sizeof(dm));
		memset(du, 0, sizeof(du));
		for (g = 0; g < np; g++) {
			const uint8_t *v =
			    (const uint8_t *)hmap_key(&p->pat, g, NULL);
			double w = p->cnt[g] * wm[g], wn = p->cnt[g] - w;

			sw += w;
			for (i = 0; i < nf; i++) {
				if (v[i] == MFIELD_MISSING)
					continue;
				fit->nu[i][v[i]] += wn;
				du[i] += wn;
				if (est[i]) {
					fit->nm[i][v[i]] += w;
					dm[i] += w;
				}
			}
		}
		next = clamp(sw / (double)p->npairs);
		move = fabs(next - lambda);
		lambda = next;
		for (i = 0; i < nf; i++)
			for (l = 0; l < fs->nlev[i] && est[i]; l++) {
				next = dm[i] > 0 ? clamp(fit->nm[i][l] / dm[i])
				                 : m[i][l];
				move = fmax(move, fabs(next - m[i][l]));
				m[i][l] = next;
				next =
				    clamp((fit->nu[i][l] +
				              FSMATCH_U_WEIGHT * fs->u[i][l]) /
				        (du[i] + FSMATCH_U_WEIGHT));
				move = fmax(move, fabs(next - u[i][l]));
				u[i][l] = next;
			}
		fit->iterations = it;
		if (move < tol) {
			fit->converged = true;
			break;
		}
	}
	fit->lambda = lambda;
	free(wm);
	return 0;
}

void
fsmatch_pool(struct fsmatch *fs, const struct fsmatch_fit *fit, size_t nfit,
    double *evidence)
{
	double n[MFIELD_MAX_LEVELS], tot;
	size_t i, l, k;

	for (i = 0; i < fs->nfields; i++) {
		tot = 0;
		for (l = 0; l < fs->nlev[i]; l++) {
			n[l] = 0;
			for (k = 0; k < nfit; k++)
				n[l] += fit[k].nm[i][l];
			tot += n[l];
		}
		evidence[i] = tot;
		if (!(tot > 0))
			continue;
		for (l = 0; l < fs->nlev[i]; l++)
			fs->m[i][l] = clamp((n[l] + fs->m[i][l]) / (tot + 1));
	}
}

double
fsmatch_bf(const struct fsmatch *fs, const uint8_t *lev, const double *tf)
{
	double w = 0, u;
	size_t i;

	for (i = 0; i < fs->nfields; i++) {
		if (lev[i] == MFIELD_MISSING)
			continue;
		u = fs->u[i][lev[i]];
		if (lev[i] == 0 && tf != NULL && tf[i] > 0)
			u = clamp(u * tf[i]);
		w += log2(fs->m[i][lev[i]] / u);
	}
	return w;
}

/* The probability of a match at weight w (bits). */
static double
logistic2(double w)
{
	if (w > 60)
		return 1;
	if (w < -60)
		return exp2(w);
	return 1 / (1 + exp2(-w));
}

double
fsmatch_prior(const double *bf, size_t npairs, double allpairs, double *matches)
{
	double lambda, sum = 0, next, lo;
	size_t p;
	int    it;

	*matches = 0;
	if (npairs == 0 || !(allpairs > 0))
		return LAMBDA_MIN;
	/*
	 * The expected matches are an increasing function of lambda, at most
	 * npairs: from lambda = npairs / allpairs the iterates fall to the
	 * largest fixed point.
	 */
	lambda = fmin((double)npairs / allpairs, 1 - FSMATCH_PMIN);
	for (it = 0; it < 1000; it++) {
		lo = log2(lambda / (1 - lambda));
		sum = 0;
		for (p = 0; p < npairs; p++)
			sum += logistic2(bf[p] + lo);
		next = fmax(sum / allpairs, LAMBDA_MIN);
		if (fabs(next - lambda) <= 1e-9 * lambda) {
			lambda = next;
			break;
		}
		lambda = next;
	}
	*matches = sum;
	return lambda;
}

double
fsmatch_weight(const struct fsmatch *fs, double bf)
{
	return log2(fs->lambda / (1 - fs->lambda)) + bf;
}

double
fsmatch_probability(double w)
{
	return logistic2(w);
}
