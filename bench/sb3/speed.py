"""Reference speed: Stable-Baselines3 / sb3-contrib on RL Zoo's tuned presets, torch pinned to one thread.

Usage: PYTHONPATH=<dir with stable_baselines3 and sb3_contrib> python bench/sb3/speed.py ALGO ENV STEPS
Prints one JSON line {algorithm, env, steps, sps, spsPerCpuSecond, versions} (per CPU-second stays meaningful when
other work shares the cores). `python bench/sb3/speed.py --record STEPS` runs every
entry below and writes bench/results/sb3-speed.json, the figures `npm run bench -- algos` compares against. The hyperparameters are the same RL Zoo entries Proxima's
presets carry (src/core/training/presets.ts); `normalize` becomes VecNormalize as rl_zoo3 does. REINFORCE has no SB3
implementation: it is reported as PPO's row is not (no reference).
"""
import json
import sys
import time

import gymnasium as gym
import torch

torch.set_num_threads(1)

from stable_baselines3 import A2C, PPO  # noqa: E402
from stable_baselines3.common.env_util import make_vec_env  # noqa: E402
from stable_baselines3.common.vec_env import VecNormalize  # noqa: E402
from sb3_contrib import TRPO  # noqa: E402

def lin(x):
    return lambda p: p * x

ZOO = {
    ("ppo", "CartPole-v1"): dict(n_envs=8, kwargs=dict(n_steps=32, batch_size=256, gae_lambda=0.8, gamma=0.98, n_epochs=20, ent_coef=0.0, learning_rate=lin(0.001), clip_range=lin(0.2))),
    ("ppo", "Pendulum-v1"): dict(n_envs=4, kwargs=dict(n_steps=1024, gae_lambda=0.95, gamma=0.9, n_epochs=10, ent_coef=0.0, learning_rate=1e-3, clip_range=0.2, use_sde=True, sde_sample_freq=4)),
    ("ppo", "Acrobot-v1"): dict(n_envs=16, normalize=True, kwargs=dict(n_steps=256, gae_lambda=0.94, gamma=0.99, n_epochs=4, ent_coef=0.0)),
    ("ppo", "MountainCar-v0"): dict(n_envs=16, normalize=True, kwargs=dict(n_steps=16, gae_lambda=0.98, gamma=0.99, n_epochs=4, ent_coef=0.0)),
    ("ppo", "MountainCarContinuous-v0"): dict(n_envs=1, normalize=True, kwargs=dict(batch_size=256, n_steps=8, gamma=0.9999, learning_rate=7.77e-5, ent_coef=0.00429, clip_range=0.1, n_epochs=10, gae_lambda=0.9, max_grad_norm=5, vf_coef=0.19, use_sde=True, policy_kwargs=dict(log_std_init=-3.29, ortho_init=False))),
    ("a2c", "CartPole-v1"): dict(n_envs=8, kwargs=dict(ent_coef=0.0)),
    ("a2c", "Pendulum-v1"): dict(n_envs=8, normalize=True, kwargs=dict(ent_coef=0.0, max_grad_norm=0.5, n_steps=8, gae_lambda=0.9, vf_coef=0.4, gamma=0.9, use_rms_prop=True, normalize_advantage=False, learning_rate=lin(7e-4), use_sde=True, policy_kwargs=dict(log_std_init=-2, ortho_init=False))),
    ("trpo", "CartPole-v1"): dict(n_envs=2, kwargs=dict(n_steps=512, batch_size=512, cg_damping=1e-3, gae_lambda=0.98, gamma=0.99, learning_rate=1e-3, n_critic_updates=20)),
    ("trpo", "Pendulum-v1"): dict(n_envs=2, kwargs=dict(n_steps=1024, gamma=0.9, n_critic_updates=15, use_sde=True, sde_sample_freq=4)),
}
CLASSES = {"ppo": PPO, "a2c": A2C, "trpo": TRPO}

def measure(algorithm, env_id, steps):
    entry = ZOO.get((algorithm, env_id))
    if entry is None:
        return {"algorithm": algorithm, "env": env_id, "steps": steps, "sps": None, "versions": "no reference"}
    env = make_vec_env(env_id, n_envs=entry["n_envs"], seed=0)
    if entry.get("normalize"):
        env = VecNormalize(env)
    model = CLASSES[algorithm]("MlpPolicy", env, seed=0, device="cpu", **entry["kwargs"])
    start = time.perf_counter()
    cpu_start = time.process_time()
    model.learn(total_timesteps=steps)
    wall = time.perf_counter() - start
    cpu = time.process_time() - cpu_start
    import stable_baselines3, sb3_contrib
    versions = f"SB3 {stable_baselines3.__version__}, sb3-contrib {sb3_contrib.__version__}, torch {torch.__version__}, 1 thread"
    return {"algorithm": algorithm, "env": env_id, "steps": model.num_timesteps, "sps": model.num_timesteps / wall, "spsPerCpuSecond": model.num_timesteps / cpu, "versions": versions}


def main():
    if sys.argv[1] == "--record":
        import datetime
        import os
        steps = int(sys.argv[2])
        rows = [measure(algorithm, env_id, steps) for (algorithm, env_id) in ZOO]
        out = os.path.join(os.path.dirname(__file__), "..", "results", "sb3-speed.json")
        with open(out, "w") as f:
            json.dump({"date": datetime.datetime.now(datetime.timezone.utc).isoformat(), "loadavg": os.getloadavg(), "versions": rows[0]["versions"], "rows": rows}, f, indent=2)
        for row in rows:
            print(json.dumps(row))
        return
    print(json.dumps(measure(sys.argv[1], sys.argv[2], int(sys.argv[3]))))


if __name__ == "__main__":
    main()
