package sandbox

import (
	"fmt"
	"time"
)

// Promotions. Traffic moves to the candidate in steps (RELEASING at 0%,
// then RAMPING_UP 25, 50 and 75%, then SUCCEEDED at 100%), a step delay
// apart; a candidate that is not running wakes up first. On success the
// candidate becomes the environment's current deployment and the previous
// one is scaled to zero unless the promotion keeps it. A cancel ramps
// traffic back down the same way.

// promotionSteps are the steps after RELEASING.
var promotionSteps = []promotionStep{{"RAMPING_UP", 25}, {"RAMPING_UP", 50}, {"RAMPING_UP", 75}, {"SUCCEEDED", 100}}

// startPromotionLocked promotes candidate to e. It returns the 400 detail
// when the candidate cannot be promoted.
func (s *Server) startPromotionLocked(m *modelRecord, e *environmentRecord, candidate *deploymentRecord, scaleDownPrevious bool, now time.Time) string {
	switch {
	case failedStatus(candidate.Status):
		return fmt.Sprintf("Deployment %s cannot be promoted: its status is %s", candidate.ID, candidate.Status)
	case e.CurrentID == candidate.ID:
		return fmt.Sprintf("Deployment %s is already the %s deployment", candidate.ID, e.Name)
	case e.Promotion != nil && e.Promotion.Status != "FAILED":
		return fmt.Sprintf("A promotion to %s is already in progress; cancel it first", e.Name)
	}
	if candidate.Status != statusActive && candidate.Status != statusWakingUp {
		candidate.schedule(now, statusWakingUp, statusActive)
	}
	e.Promotion = &promotionRecord{CandidateID: candidate.ID, PreviousID: e.CurrentID, ScaleDownPrevious: scaleDownPrevious,
		Status: "RELEASING", Next: append([]promotionStep(nil), promotionSteps...), StepsFrom: now}
	return ""
}

// cancelPromotionLocked stops e's promotion: at once when no traffic has
// moved yet (CANCELED), else by ramping it back down (RAMPING_DOWN).
// It returns "" when there is no promotion to cancel.
func (s *Server) cancelPromotionLocked(e *environmentRecord, now time.Time) string {
	p := e.Promotion
	if p == nil || p.Status == "FAILED" || p.Status == "RAMPING_DOWN" {
		return ""
	}
	if p.Percent == 0 {
		e.Promotion = nil
		return "CANCELED"
	}
	p.Status, p.StepsFrom, p.Next = "RAMPING_DOWN", now, nil
	for pct := p.Percent - 25; pct > 0; pct -= 25 {
		p.Next = append(p.Next, promotionStep{"RAMPING_DOWN", pct})
	}
	p.Next = append(p.Next, promotionStep{"CANCELED", 0})
	return "RAMPING_DOWN"
}

// advancePromotionLocked applies e's due promotion steps.
func (s *Server) advancePromotionLocked(m *modelRecord, e *environmentRecord, now time.Time) bool {
	p := e.Promotion
	changed := false
	for e.Promotion == p && len(p.Next) > 0 && !now.Before(p.StepsFrom.Add(s.stepDelay)) {
		if candidate := m.deployment(p.CandidateID); candidate == nil || failedStatus(candidate.Status) {
			status := "deleted"
			if candidate != nil {
				status = candidate.Status
			}
			msg := fmt.Sprintf("deployment %s is %s", p.CandidateID, status)
			p.Status, p.Next, p.Percent, p.ErrorMessage = "FAILED", nil, 0, msg
			return true
		}
		step := p.Next[0]
		p.Status, p.Percent, p.Next, p.StepsFrom = step.Status, step.Percent, p.Next[1:], p.StepsFrom.Add(s.stepDelay)
		changed = true
		switch step.Status {
		case "SUCCEEDED":
			e.CurrentID, e.Promotion = p.CandidateID, nil
			if prev := m.deployment(p.PreviousID); prev != nil && p.ScaleDownPrevious && m.environmentOf(prev.ID) == "" {
				prev.schedule(now, statusScaledToZero)
			}
		case "CANCELED":
			e.Promotion = nil
		}
	}
	return changed
}
